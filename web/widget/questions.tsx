/**
 * The offering's booking questions on the details step: those asked once, then those asked of
 * every person ("Person 1", "Person 2"...), each a labelled field of its kind (text, a choice,
 * a number, a date). Required ones are checked here lightly; the API checks every answer and
 * its 422 names the question and the person, which then shows its message and takes the focus.
 */
import type { AnswerMap, Answers, Question } from "./api";
import type { Translate } from "./i18n";

/** A question's words in `lang` (`en`, `zh-Hans`): its own tag's, else one of the same
 * language's (`zh` for `zh-Hans`), else `label` (the business's own words). */
export function labelIn(q: Question, lang: string): string {
  const labels = q.labels ?? {};
  if (labels[lang]) return labels[lang];
  const base = lang.split("-")[0];
  const near = Object.keys(labels)
    .sort()
    .find((tag) => tag.split("-")[0] === base);
  return near ? labels[near]! : q.label;
}

export function emptyAnswers(party: number): Answers {
  return { booking: {}, people: Array.from({ length: party }, () => ({})) };
}

/** The answers for a party of this size: a set per person, those beyond it left out. */
export function fitted(answers: Answers, party: number): Answers {
  const people = answers.people.slice(0, party);
  while (people.length < party) people.push({});
  return { booking: answers.booking, people };
}

/** Answers as sent: blanks left out, numbers as numbers, one set per person asked. */
export function cleaned(questions: Question[], answers: Answers): Answers {
  const keep = (asked: Question[], given: AnswerMap): AnswerMap => {
    const out: AnswerMap = {};
    for (const q of asked) {
      const raw = given[q.id];
      if (raw === undefined || String(raw).trim() === "") continue;
      out[q.id] = q.kind === "number" ? Number(raw) : String(raw).trim();
    }
    return out;
  };
  const perPerson = questions.filter((q) => q.per === "person");
  return {
    booking: keep(questions.filter((q) => q.per === "booking"), answers.booking),
    people: perPerson.length ? answers.people.map((p) => keep(perPerson, p)) : [],
  };
}

/** The first required question left blank: [question id, person index or -1]. */
export function firstMissing(questions: Question[], answers: Answers): [string, number] | null {
  for (const q of questions) {
    if (!q.required) continue;
    const sets = q.per === "booking" ? [answers.booking] : answers.people;
    const index = sets.findIndex((given) => String(given[q.id] ?? "").trim() === "");
    if (index >= 0) return [q.id, q.per === "booking" ? -1 : index];
  }
  return null;
}

export function fieldId(question: string, person: number): string {
  return `rsv-q-${question}${person >= 0 ? `-${person}` : ""}`;
}

export function QuestionFields(props: {
  t: Translate;
  lang: string;
  questions: Question[];
  answers: Answers;
  onAnswers: (a: Answers) => void;
  problem: { question: string; person: number; message: string } | null;
}) {
  const { t, questions, answers } = props;
  const once = questions.filter((q) => q.per === "booking");
  const each = questions.filter((q) => q.per === "person");
  const set = (person: number, id: string, value: string) => {
    if (person < 0) props.onAnswers({ ...answers, booking: { ...answers.booking, [id]: value } });
    else {
      const people = answers.people.map((p, i) => (i === person ? { ...p, [id]: value } : p));
      props.onAnswers({ ...answers, people });
    }
  };
  const field = (q: Question, person: number) => {
    const id = fieldId(q.id, person);
    const given = person < 0 ? answers.booking : (answers.people[person] ?? {});
    const value = String(given[q.id] ?? "");
    const wrong = props.problem && props.problem.question === q.id && props.problem.person === person;
    const common = {
      id,
      required: q.required,
      "aria-invalid": wrong ? ("true" as const) : ("false" as const),
      "aria-describedby": wrong ? `${id}-error` : undefined,
    };
    const change = (e: Event) => set(person, q.id, (e.currentTarget as HTMLInputElement).value);
    return (
      <div key={id}>
        <label for={id}>
          {labelIn(q, props.lang)}
          {q.required ? " *" : ""}
        </label>
        {q.kind === "choice" ? (
          <select {...common} value={value} onChange={change}>
            <option value="">{t("choose_answer")}</option>
            {q.choices.map((c) => (
              <option value={c} key={c}>
                {c}
              </option>
            ))}
          </select>
        ) : q.kind === "number" ? (
          <input
            {...common}
            type="number"
            inputMode="numeric"
            min={q.minimum ?? undefined}
            max={q.maximum ?? undefined}
            value={value}
            onInput={change}
          />
        ) : q.kind === "date" ? (
          <input {...common} type="date" value={value} onInput={change} />
        ) : (
          <input {...common} type="text" maxLength={q.max_length} value={value} onInput={change} />
        )}
        {wrong ? (
          <p class="field-error" id={`${id}-error`}>
            {props.problem!.message}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <>
      {once.map((q) => field(q, -1))}
      {each.length
        ? answers.people.map((_, person) => (
            <fieldset key={person}>
              <legend>{t("person_n", { n: person + 1 })}</legend>
              {each.map((q) => field(q, person))}
            </fieldset>
          ))
        : null}
    </>
  );
}
