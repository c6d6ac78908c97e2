/**
 * Messages (`#/messages`, managers and owners): which channels each customer message goes by,
 * the countries whose mobile numbers get texts, and when reminders go (`PATCH /v1/tenant`,
 * each form sending its own setting whole, so the last save wins), then the templates
 * (templates.tsx). The API bounds what is sent; the forms keep to the same bounds.
 */

import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useDesk } from "./app";
import type { Key } from "./i18n";
import { CHANNELS, type Channel, countries, countryName, OFFSETS, offsetParts, type TenantSettings, type Unit, UNIT_MINUTES } from "./integrations_api";
import { Problem, useAction, useLoaded } from "./lines";
import { Templates } from "./templates";

export function MessagesPage() {
  const { t, api } = useDesk();
  const { data: tenant, error } = useLoaded(() => api.get<TenantSettings>("/v1/tenant"));
  // Which form was saved last. Each form keeps what it sent (nothing is read again under
  // the staff member's hands, so a form being edited is never reset by another's save).
  const [saved, setSaved] = useState("");
  return (
    <section aria-labelledby="messages-title">
      <h1 id="messages-title">{t("nav_messages")}</h1>
      <Problem text={error} />
      {tenant === null && !error && <p role="status">{t("loading")}</p>}
      {tenant && (
        <div class="message-settings">
          <Channels tenant={tenant} saved={saved} onSaved={setSaved} />
          <SmsCountries tenant={tenant} saved={saved} onSaved={setSaved} />
          <Reminders tenant={tenant} saved={saved} onSaved={setSaved} />
        </div>
      )}
      <Templates />
    </section>
  );
}

interface FormProps {
  tenant: TenantSettings;
  saved: string;
  onSaved: (form: string) => void;
}

/** A form that PATCHes one setting of the tenant and says it is saved. */
function SettingForm(props: {
  id: string;
  title: string;
  body: () => object;
  saved: string;
  onSaved: (form: string) => void;
  children: ComponentChildren;
}) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await run(() => api.patch("/v1/tenant", props.body()))) props.onSaved(props.id);
  };
  return (
    <form class="panel" onSubmit={submit} aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
      <Problem text={error} />
      {props.saved === props.id && (
        <p class="notice" role="status">
          {t("saved")}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t("save")}
      </button>
    </form>
  );
}

function Channels({ tenant, saved, onSaved }: FormProps) {
  const { t } = useDesk();
  const [chosen, setChosen] = useState(tenant.settings.message_channels);
  const kinds = Object.keys(chosen);
  const flip = (kind: string, channel: Channel, on: boolean) => {
    const now = chosen[kind] ?? [];
    setChosen({ ...chosen, [kind]: CHANNELS.filter((c) => (c === channel ? on : now.includes(c))) });
  };
  return (
    <SettingForm id="channels-title" title={t("channels_title")} body={() => ({ message_channels: chosen })} saved={saved} onSaved={onSaved}>
      <table class="results channels">
        <thead>
          <tr>
            <th scope="col">{t("message_kind")}</th>
            {CHANNELS.map((c) => (
              <th scope="col" key={c}>
                {t(`channel_${c}` as Key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {kinds.map((kind) => (
            <tr key={kind}>
              <th scope="row">{t(`kind_${kind}` as Key)}</th>
              {CHANNELS.map((c) => (
                <td key={c}>
                  <input
                    type="checkbox"
                    checked={chosen[kind]?.includes(c)}
                    onChange={(e) => flip(kind, c, (e.currentTarget as HTMLInputElement).checked)}
                    aria-label={t("kind_by_channel", { kind: t(`kind_${kind}` as Key), channel: t(`channel_${c}` as Key) })}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </SettingForm>
  );
}

function SmsCountries({ tenant, saved, onSaved }: FormProps) {
  const { t, fmt } = useDesk();
  const [codes, setCodes] = useState(tenant.settings.sms_countries);
  const [adding, setAdding] = useState("");
  const [all] = useState(() => countries(fmt.locale));
  const add = () => {
    if (adding && !codes.includes(adding)) setCodes([...codes, adding].sort());
    setAdding("");
  };
  return (
    <SettingForm id="sms-title" title={t("sms_countries")} body={() => ({ sms_countries: codes })} saved={saved} onSaved={onSaved}>
      <p class="muted">{t("sms_countries_help")}</p>
      {codes.length === 0 && <p>{t("sms_none")}</p>}
      <ul class="chips">
        {codes.map((code) => (
          <li key={code}>
            {countryName(fmt.locale, code)} <code>{code}</code>
            <button type="button" class="link" onClick={() => setCodes(codes.filter((c) => c !== code))}>
              {t("remove_country", { name: countryName(fmt.locale, code) })}
            </button>
          </li>
        ))}
      </ul>
      <div class="inline">
        <label>
          {t("add_country")}
          <select value={adding} onChange={(e) => setAdding((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">–</option>
            {all.map(([code, name]) => (
              <option value={code} key={code} disabled={codes.includes(code)}>
                {name} ({code})
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={add} disabled={!adding}>
          {t("add")}
        </button>
      </div>
    </SettingForm>
  );
}

function Reminders({ tenant, saved, onSaved }: FormProps) {
  const { t } = useDesk();
  const [offsets, setOffsets] = useState(tenant.settings.reminder_offsets_minutes.map(offsetParts));
  const set = (i: number, change: Partial<{ n: number; unit: Unit }>) =>
    setOffsets(offsets.map((o, j) => (j === i ? { ...o, ...change } : o)));
  const minutes = () => offsets.map((o) => o.n * UNIT_MINUTES[o.unit]);
  return (
    <SettingForm id="reminders-title" title={t("reminders_title")} body={() => ({ reminder_offsets_minutes: minutes() })} saved={saved} onSaved={onSaved}>
      <p class="muted">{t("reminders_help", { max: OFFSETS.max })}</p>
      {offsets.length === 0 && <p>{t("no_reminders")}</p>}
      <ol class="offsets">
        {offsets.map((o, i) => (
          <li key={i} class="inline">
            <label>
              <span class="sr-only">{t("reminder_n", { n: i + 1 })}</span>
              <input
                type="number"
                required
                min={Math.ceil(OFFSETS.minMinutes / UNIT_MINUTES[o.unit])}
                max={Math.floor(OFFSETS.maxMinutes / UNIT_MINUTES[o.unit])}
                value={o.n}
                onInput={(e) => set(i, { n: Number((e.currentTarget as HTMLInputElement).value) })}
              />
            </label>
            <label>
              <span class="sr-only">{t("reminder_unit_n", { n: i + 1 })}</span>
              <select value={o.unit} onChange={(e) => set(i, { unit: (e.currentTarget as HTMLSelectElement).value as Unit })}>
                {(Object.keys(UNIT_MINUTES) as Unit[]).map((u) => (
                  <option value={u} key={u}>
                    {t(`unit_${u}_before` as Key)}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" class="link" onClick={() => setOffsets(offsets.filter((_, j) => j !== i))}>
              {t("remove_reminder", { n: i + 1 })}
            </button>
          </li>
        ))}
      </ol>
      <button type="button" class="secondary" disabled={offsets.length >= OFFSETS.max} onClick={() => setOffsets([...offsets, { n: 1, unit: "hours" }])}>
        {t("add_reminder")}
      </button>
    </SettingForm>
  );
}
