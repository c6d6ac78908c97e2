/**
 * An offering's booking questions (at most 20): what the customer is asked, of what kind
 * (text, a choice among 2 to 20, a whole number within bounds, a date), whether it must be
 * answered, and whether once per booking or of every person. A question's id names its
 * answers in orders, so a saved question keeps its id; a new one gets one to change. The
 * question may be worded in English and in Chinese too (the widget's two languages): the
 * widget asks in its language's words, else in the question's own.
 */

import { useDesk } from "./app";
import type { Question } from "./api";
import { Check, NumberField } from "./catalog_parts";
import type { Key } from "./i18n";

const KINDS: Question["kind"][] = ["text", "choice", "number", "date"];
const WORDED = ["en", "zh"] as const; // other tags a question was given through the API stay

/** The labels with `lang`'s words set, or left out when blank. */
function worded(q: Question, lang: string, words: string): Record<string, string> {
  const labels = { ...(q.labels ?? {}) };
  if (words.trim()) labels[lang] = words;
  else delete labels[lang];
  return labels;
}

function freeId(questions: Question[]): string {
  let n = questions.length + 1;
  while (questions.some((q) => q.id === `question_${n}`)) n += 1;
  return `question_${n}`;
}

export function QuestionsEditor({ value, saved, onChange }: { value: Question[]; saved: string[]; onChange: (q: Question[]) => void }) {
  const { t } = useDesk();
  const set = (i: number, patch: Partial<Question>) => onChange(value.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  const add = () =>
    onChange([...value, { id: freeId(value), label: "", labels: {}, kind: "text", required: false, per: "booking", choices: [], minimum: null, maximum: null, max_length: 200 }]);
  const bound = (text: string) => (text.trim() === "" || !Number.isFinite(Number(text)) ? null : Math.round(Number(text)));
  return (
    <div class="questions-edit wide">
      {value.length === 0 && <p class="muted">{t("cat_no_questions")}</p>}
      {value.map((q, i) => {
        const n = i + 1;
        return (
          <div class="question" key={i} role="group" aria-label={t("cat_question_n", { n })}>
            <label class="grow">
              {t("cat_q_label")}
              <input value={q.label} maxLength={120} required onInput={(e) => set(i, { label: (e.currentTarget as HTMLInputElement).value })} />
            </label>
            {WORDED.map((lang) => (
              <label class="grow" key={lang}>
                {t(`cat_q_label_${lang}`)}
                <input
                  lang={lang === "zh" ? "zh-Hans" : lang}
                  value={q.labels?.[lang] ?? ""}
                  maxLength={120}
                  onInput={(e) => set(i, { labels: worded(q, lang, (e.currentTarget as HTMLInputElement).value) })}
                />
              </label>
            ))}
            <label>
              {t("cat_q_id")}
              <input value={q.id} readOnly={saved.includes(q.id)} pattern="[a-z][a-z0-9_]{0,31}" maxLength={32} onInput={(e) => set(i, { id: (e.currentTarget as HTMLInputElement).value })} />
            </label>
            <label>
              {t("cat_q_kind")}
              <select value={q.kind} onChange={(e) => set(i, { kind: (e.currentTarget as HTMLSelectElement).value as Question["kind"] })}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`cat_q_${k}` as Key)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("cat_q_per")}
              <select value={q.per} onChange={(e) => set(i, { per: (e.currentTarget as HTMLSelectElement).value as Question["per"] })}>
                <option value="booking">{t("cat_q_per_booking")}</option>
                <option value="person">{t("cat_q_per_person")}</option>
              </select>
            </label>
            <Check label={t("cat_q_required")} checked={q.required} onChange={(required) => set(i, { required })} />
            {q.kind === "choice" && (
              <label class="grow">
                {t("cat_q_choices")}
                <textarea
                  rows={3}
                  value={q.choices.join("\n")}
                  onInput={(e) => set(i, { choices: (e.currentTarget as HTMLTextAreaElement).value.split("\n").map((c) => c.trim()).filter(Boolean) })}
                />
              </label>
            )}
            {q.kind === "number" && (
              <>
                <label>
                  {t("cat_q_min")}
                  <input type="number" value={q.minimum ?? ""} onInput={(e) => set(i, { minimum: bound((e.currentTarget as HTMLInputElement).value) })} />
                </label>
                <label>
                  {t("cat_q_max")}
                  <input type="number" value={q.maximum ?? ""} onInput={(e) => set(i, { maximum: bound((e.currentTarget as HTMLInputElement).value) })} />
                </label>
              </>
            )}
            {q.kind === "text" && <NumberField label={t("cat_q_length")} value={q.max_length} min={1} max={1000} onChange={(max_length) => set(i, { max_length })} />}
            <span class="question-moves">
              <button type="button" class="secondary" disabled={i === 0} aria-label={t("cat_q_up", { n })} onClick={() => onChange(value.map((x, j) => (j === i - 1 ? q : j === i ? value[i - 1]! : x)))}>
                ↑
              </button>
              <button type="button" class="secondary" onClick={() => onChange(value.filter((_, j) => j !== i))}>
                {t("cat_remove_question", { n })}
              </button>
            </span>
          </div>
        );
      })}
      {value.length < 20 && (
        <button type="button" class="secondary" onClick={add}>
          {t("cat_add_question")}
        </button>
      )}
    </div>
  );
}
