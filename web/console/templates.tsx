/**
 * The message templates (on the Messages page): every kind × channel × language the API
 * lists (`GET /v1/templates`), each marked as the built-in default or the business's own, and
 * the one chosen open in the editor (template_editor.tsx).
 */

import { useState } from "preact/hooks";
import { useDesk } from "./app";
import { focusSoon } from "./focus";
import type { Key, T } from "./i18n";
import type { TemplateList } from "./integrations_api";
import { Problem, useLoaded } from "./lines";
import { TemplateEditor } from "./template_editor";

export interface TemplateKey {
  kind: string;
  channel: string;
  locale: string;
}

/** "Confirmed · E-mail · English", as the staff member reads it. */
export function templateName(t: T, key: TemplateKey): string {
  return t("template_name", {
    kind: t(`kind_${key.kind}` as Key),
    channel: t(`channel_${key.channel}` as Key),
    locale: t(`locale_${key.locale}` as Key),
  });
}

export function Templates() {
  const { t, api } = useDesk();
  const { data: list, error, refresh } = useLoaded(() => api.get<TemplateList>("/v1/templates"));
  const [open, setOpen] = useState<TemplateKey | null>(null);
  const columns = list ? Object.keys(list.channels).flatMap((channel) => list.locales.map((locale) => ({ channel, locale }))) : [];
  return (
    <section class="templates" aria-labelledby="templates-title">
      <h2 id="templates-title">{t("templates_title")}</h2>
      <p class="muted">{t("templates_help")}</p>
      <Problem text={error} />
      {list === null && !error && <p role="status">{t("loading")}</p>}
      {list && (
        <div class="scroll">
          <table class="results">
            <thead>
              <tr>
                <th scope="col">{t("message_kind")}</th>
                {columns.map((c) => (
                  <th scope="col" key={`${c.channel}/${c.locale}`}>
                    {t(`channel_${c.channel}` as Key)} · {t(`locale_${c.locale}` as Key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.kinds.map((kind) => (
                <tr key={kind}>
                  <th scope="row">{t(`kind_${kind}` as Key)}</th>
                  {columns.map(({ channel, locale }) => {
                    const key = { kind, channel, locale };
                    const own = list.overridden.includes(`${kind}/${channel}/${locale}`);
                    const current = open?.kind === kind && open.channel === channel && open.locale === locale;
                    return (
                      <td key={`${channel}/${locale}`}>
                        <button
                          type="button"
                          class={own ? "template own" : "template"}
                          aria-pressed={current}
                          data-template={`${kind}/${channel}/${locale}`}
                          aria-label={t("edit_template", { name: templateName(t, key), source: t(own ? "source_tenant" : "source_builtin") })}
                          onClick={() => setOpen(key)}
                        >
                          {t(own ? "source_tenant" : "source_builtin")}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && (
        <TemplateEditor
          key={`${open.kind}/${open.channel}/${open.locale}`}
          which={open}
          onChanged={refresh}
          onClose={() => {
            // Closed (Close or Escape): back on the template's button, not <body>.
            const which = `${open.kind}/${open.channel}/${open.locale}`;
            setOpen(null);
            focusSoon(() => document.querySelector(`button[data-template="${which}"]`));
          }}
        />
      )}
    </section>
  );
}
