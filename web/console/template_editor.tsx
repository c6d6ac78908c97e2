/**
 * One message template open for editing: its parts as the API models them (an e-mail's
 * subject, text and HTML; a text message's text), the placeholders its kind may print beside
 * them (as the API lists them), saving (`PUT`: the API renders it against sample messages
 * first and refuses, with the part and the reason, what it cannot print) and going back to
 * the built-in default (`DELETE`). A refusal names its part (`details.part`: an unknown
 * placeholder is "unknown placeholder customer.shoe_size"): that field is marked, described
 * by the refusal, and has the keyboard. Escape closes the editor as "Close" does; the page
 * puts the keyboard back on the template's button (templates.tsx).
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api";
import { useDesk } from "./app";
import { closeOnEscape, focusSoon } from "./focus";
import type { Key } from "./i18n";
import type { Template } from "./integrations_api";
import { Problem, useAction, useLoaded } from "./lines";
import { type TemplateKey, templateName } from "./templates";

const PROBLEM_ID = "template-problem";

export function TemplateEditor(props: { which: TemplateKey; onChanged: () => void; onClose: () => void }) {
  const { t, api } = useDesk();
  const { kind, channel, locale } = props.which;
  const path = `/v1/templates/${kind}/${channel}/${locale}`;
  const { data: template, error, refresh } = useLoaded(() => api.get<Template>(path), [path]);
  const [parts, setParts] = useState<Record<string, string>>({});
  const [said, setSaid] = useState("");
  const { busy, error: failed, run } = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  const name = templateName(t, props.which);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (template) setParts(template.parts);
  }, [template]);

  const [refused, setRefused] = useState(""); // the part the last refusal named
  const form = useRef<HTMLFormElement>(null);
  const save = async (event: Event) => {
    event.preventDefault();
    setSaid("");
    setRefused("");
    let named = "";
    const saved = await run(async () => {
      try {
        await api.put(path, parts);
      } catch (e) {
        const part = e instanceof ApiError ? e.details?.part : undefined;
        named = typeof part === "string" ? part : "";
        throw e;
      }
    });
    if (!saved && named) {
      setRefused(named);
      focusSoon(() => form.current?.querySelector(`[name="${named}"]`));
    }
    if (saved) {
      setSaid(t("template_saved"));
      props.onChanged();
      refresh();
    }
  };
  const reset = async () => {
    setSaid("");
    if (await run(() => api.delete(path))) {
      setSaid(t("template_reset"));
      props.onChanged();
      refresh();
    }
  };
  const field = (part: string) => {
    const label = t(`part_${part}` as Key);
    const change = (e: Event) => setParts({ ...parts, [part]: (e.currentTarget as HTMLInputElement).value });
    const marked = refused === part && failed !== "";
    const mark = { "aria-invalid": marked ? ("true" as const) : undefined, "aria-describedby": marked ? PROBLEM_ID : undefined };
    return (
      <label key={part}>
        {label}
        {part === "subject" ? (
          <input name={part} value={parts[part] ?? ""} onInput={change} required {...mark} />
        ) : (
          <textarea name={part} rows={part === "html" ? 8 : 6} value={parts[part] ?? ""} onInput={change} required {...mark} />
        )}
      </label>
    );
  };

  return (
    <section class="editor panel" aria-labelledby="editor-title" onKeyDown={closeOnEscape(busy, props.onClose)}>
      <h3 id="editor-title" tabIndex={-1} ref={heading}>
        {name}
      </h3>
      <Problem text={error} />
      {template === null && !error && <p role="status">{t("loading")}</p>}
      {template && (
        <div class="editor-grid">
          <form class="settings" ref={form} onSubmit={save} aria-label={t("edit_template_form", { name })}>
            <p>
              <span class={template.source === "tenant" ? "badge own" : "badge"}>
                {t(template.source === "tenant" ? "source_tenant" : "source_builtin")}
              </span>
            </p>
            {Object.keys(template.parts).map(field)}
            <Problem text={failed} id={PROBLEM_ID} />
            {said && (
              <p class="notice" role="status">
                {said}
              </p>
            )}
            <div class="inline">
              <button type="submit" disabled={busy}>
                {t("save_template")}
              </button>
              {template.source === "tenant" && (
                <button type="button" class="danger" disabled={busy} onClick={reset}>
                  {t("back_to_default")}
                </button>
              )}
              <button type="button" class="secondary" onClick={props.onClose}>
                {t("close")}
              </button>
            </div>
          </form>
          <aside aria-labelledby="placeholders-title">
            <h4 id="placeholders-title">{t("placeholders")}</h4>
            <p class="muted">{t("placeholders_help")}</p>
            <Placeholders names={template.placeholders} />
          </aside>
        </div>
      )}
    </section>
  );
}

/** `{{ order.when }}` for a value; a list (`order.lines[].name`) as the loop that reads it,
 * its item named for the list (`line`), with the item's fields under it. */
function Placeholders({ names }: { names: string[] }) {
  const lists = new Map<string, string[]>();
  const values: string[] = [];
  for (const name of names) {
    const [list, field] = name.split("[].");
    if (field && list) lists.set(list, [...(lists.get(list) ?? []), field]);
    else values.push(name);
  }
  return (
    <ul class="placeholders">
      {values.map((v) => (
        <li key={v}>
          <code>{`{{ ${v} }}`}</code>
        </li>
      ))}
      {[...lists].map(([list, fields]) => {
        const item = (list.split(".").pop() ?? "item").replace(/s$/, "");
        return (
          <li key={list}>
            <code>{`{% for ${item} in ${list} %}`}</code>
            <ul>
              {fields.map((f) => (
                <li key={f}>
                  <code>{`{{ ${item}.${f} }}`}</code>
                </li>
              ))}
            </ul>
            <code>{"{% endfor %}"}</code>
          </li>
        );
      })}
    </ul>
  );
}
