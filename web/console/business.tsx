/**
 * The Business page (`#/settings`, managers and owners): the business's name and details
 * (legal name, contact, postal address, website, tax id), a stay's check-in and check-out
 * times, its time zone, language and hold
 * time, and its public opening hours, saved together with one `PATCH /v1/tenant`. A refusal
 * is said plainly: a field's rule, or a zone change that bookings ahead block (naming them);
 * a save that closes dates with bookings on them says which (closed_booked.tsx).
 * The hours are what customers are told; what can be booked stays each resource's schedule.
 */

import { useState } from "preact/hooks";
import { useDesk } from "./app";
import { BookedOnClosed, newlyClosed, useClosedCheck } from "./closed_booked";
import { HoursEditor, hoursForApi, hoursForFields } from "./hours";
import { Problem, useLoaded } from "./lines";
import { type BusinessDetails, type OpeningHours, type TenantProfile, zoneNames } from "./settings_api";
import { Field, Labelled, Refusal, Saved, useSave } from "./settings_form";
import { StayTimesFields } from "./stay_times";

const LOCALES = ["en", "en-GB", "en-US", "zh-Hans", "zh-Hans-CN", "de-DE", "fr-FR", "es-ES", "it-IT", "ja-JP"];

interface Draft {
  name: string;
  timezone: string;
  locale: string;
  hold_minutes: number;
  business: BusinessDetails;
  hours: OpeningHours;
}

function draftOf(tenant: TenantProfile): Draft {
  const business = { ...tenant.business, address: { ...tenant.business.address } };
  return {
    name: tenant.name,
    timezone: tenant.timezone,
    locale: tenant.locale,
    hold_minutes: tenant.settings.hold_minutes,
    business,
    hours: hoursForFields(tenant.opening_hours),
  };
}

export function BusinessPage() {
  const { t, api } = useDesk();
  const { data, error, refresh } = useLoaded(() => api.get<TenantProfile>("/v1/tenant"));
  // Kept here: the form starts again from what the API answers after a save, and the "Saved"
  // line or the refusal must outlive that.
  const save = useSave();
  const closed = useClosedCheck(); // outlives the form too: the form is drawn again once saved
  if (!data) return error ? <Problem text={error} /> : <p role="status">{t("loading")}</p>;
  return <BusinessForm key={data.version} tenant={data} save={save} closed={closed} onSaved={refresh} />;
}

function BusinessForm(props: {
  tenant: TenantProfile;
  save: ReturnType<typeof useSave>;
  closed: ReturnType<typeof useClosedCheck>;
  onSaved: () => void;
}) {
  const { tenant, save, closed, onSaved } = props;
  // A stay's check-in and check-out only where stays are sold: a tester's restaurant was
  // asked for its "Stays: Check-in from".
  const { t, rooms } = useDesk();
  const [draft, setDraft] = useState<Draft>(() => draftOf(tenant));
  const b = draft.business;
  const setBusiness = (change: Partial<BusinessDetails>) => setDraft({ ...draft, business: { ...b, ...change } });
  const setAddress = (change: Partial<BusinessDetails["address"]>) => setBusiness({ address: { ...b.address, ...change } });
  const lines = [b.address.lines[0] ?? "", b.address.lines[1] ?? "", b.address.lines[2] ?? ""]; // the API's 3
  const setLine = (i: number, value: string) => setAddress({ lines: lines.map((l, j) => (j === i ? value : l)) });

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = {
      name: draft.name,
      locale: draft.locale,
      hold_minutes: draft.hold_minutes,
      business: { ...b, address: { ...b.address, lines: b.address.lines.filter((l) => l.trim()) } },
      opening_hours: hoursForApi(draft.hours),
      ...(draft.timezone !== tenant.timezone ? { timezone: draft.timezone } : {}),
    };
    const added = newlyClosed(tenant.opening_hours.closed_dates, draft.hours.closed_dates, draft.timezone);
    if (await save.run(body)) {
      onSaved();
      await closed.check(added);
    }
  };

  const languages = new Intl.DisplayNames([t("lang_tag")], { type: "language" });
  const locales = LOCALES.includes(draft.locale) ? LOCALES : [draft.locale, ...LOCALES];
  return (
    <section aria-labelledby="business-title">
      <h1 id="business-title">{t("business_title")}</h1>
      <p class="muted">{t("business_intro")}</p>
      <form class="settings business" onSubmit={submit}>
        <fieldset>
          <legend>{t("business_identity")}</legend>
          <Field label="business_name" value={draft.name} onInput={(name) => setDraft({ ...draft, name })} />
          <Field label="legal_name" value={b.legal_name} help="legal_name_help" onInput={(v) => setBusiness({ legal_name: v })} />
          <Field label="tax_id" value={b.tax_id} help="tax_id_help" onInput={(v) => setBusiness({ tax_id: v })} />
        </fieldset>
        <fieldset>
          <legend>{t("business_contact")}</legend>
          <Field label="contact_email" type="email" value={b.email} onInput={(v) => setBusiness({ email: v })} />
          <Field label="contact_phone" type="tel" value={b.phone} help="contact_phone_help" onInput={(v) => setBusiness({ phone: v })} />
          <Field label="website_url" type="url" value={b.website} onInput={(v) => setBusiness({ website: v })} />
        </fieldset>
        <fieldset>
          <legend>{t("address_title")}</legend>
          <Field label="address_line_1" value={lines[0]!} onInput={(v) => setLine(0, v)} />
          <Field label="address_line_2" value={lines[1]!} onInput={(v) => setLine(1, v)} />
          <Field label="address_line_3" value={lines[2]!} onInput={(v) => setLine(2, v)} />
          <div class="row">
            <Field label="postcode" value={b.address.postcode} onInput={(v) => setAddress({ postcode: v })} />
            <Field label="city" value={b.address.city} onInput={(v) => setAddress({ city: v })} />
            <Field label="country" value={b.address.country} help="country_help" onInput={(v) => setAddress({ country: v.toUpperCase() })} />
          </div>
        </fieldset>
        {rooms ? (
          <StayTimesFields
            checkIn={b.check_in_time}
            checkOut={b.check_out_time}
            onChange={(change) => setBusiness(change)}
          />
        ) : null}
        <fieldset>
          <legend>{t("business_operation")}</legend>
          <Labelled label="time_zone" help="time_zone_help">
            {(describedBy) => (
              <select
                value={draft.timezone}
                aria-describedby={describedBy}
                onChange={(e) => setDraft({ ...draft, timezone: (e.currentTarget as HTMLSelectElement).value })}
              >
                {zoneNames(tenant.timezone).map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            )}
          </Labelled>
          <Labelled label="business_locale">
            {() => (
              <select value={draft.locale} onChange={(e) => setDraft({ ...draft, locale: (e.currentTarget as HTMLSelectElement).value })}>
                {locales.map((l) => (
                  <option key={l} value={l}>
                    {`${languages.of(l) ?? l} (${l})`}
                  </option>
                ))}
              </select>
            )}
          </Labelled>
          <Labelled label="hold_minutes" help="hold_minutes_help">
            {(describedBy) => (
              <input
                type="number"
                min={1}
                max={1440}
                required
                aria-describedby={describedBy}
                value={draft.hold_minutes}
                onInput={(e) => setDraft({ ...draft, hold_minutes: Number((e.currentTarget as HTMLInputElement).value) })}
              />
            )}
          </Labelled>
        </fieldset>
        <HoursEditor hours={draft.hours} onChange={(hours) => setDraft({ ...draft, hours })} />
        <Refusal error={save.refusal} />
        <Saved shown={save.saved} />
        <BookedOnClosed found={closed.found} />
        <button type="submit" disabled={save.busy}>
          {t("save")}
        </button>
      </form>
    </section>
  );
}
