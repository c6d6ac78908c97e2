/**
 * How to reach the business and when it is open, from `GET /v1/public/tenant`: folded under
 * the form (a `<details>`, closed at first), so it never stands between a customer and a
 * booking. What is bookable is each resource's own schedule; these are the hours the business
 * tells its customers, its upcoming closed dates (the next 60 days) among them, in its own
 * zone (named when the visitor's differs). Nothing shows when it has filled in none of it.
 */
import type { PublicTenant } from "./api";
import type { Formats } from "../shared/format";
import { todayIn, addDays, hourDigits } from "../shared/format";
import type { Translate } from "./i18n";

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** "09:00" as the locale writes a time of day (9:00 AM, 09:00); "24:00", the end of the day,
 * as midnight (12:00 AM, 00:00). */
export function clock(locale: string, hhmm: string): string {
  const [h, m] = hhmm.split(":").map(Number);
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", hour: hourDigits(locale), minute: "2-digit" }).format(
    new Date(Date.UTC(2024, 0, 1, h! % 24, m!)),
  );
}

/** Monday..Sunday in the locale's words (1 January 2024 was a Monday). */
function weekday(locale: string, index: number): string {
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "long" }).format(new Date(Date.UTC(2024, 0, 1 + index)));
}

// Where the postcode follows the town (New York, NY 10002); elsewhere it leads (10115 Berlin).
const POSTCODE_AFTER = new Set(["US", "CA", "AU", "NZ", "GB", "IE", "CN", "HK", "SG", "IN"]);

function townLine(a: { city: string; postcode: string; country: string }): string {
  const parts = POSTCODE_AFTER.has(a.country.toUpperCase()) ? [a.city, a.postcode] : [a.postcode, a.city];
  return parts.filter(Boolean).join(" ");
}

export function About({ tenant, t, fmt }: { tenant: PublicTenant; t: Translate; fmt: Formats }) {
  const hours = tenant.opening_hours;
  const contact = tenant.contact;
  const weekly = hours ? WEEKDAYS.map((d) => hours.weekly[d] ?? []) : [];
  const anyHours = weekly.some((ranges) => ranges.length > 0);
  const today = todayIn(tenant.timezone);
  const soon = (hours?.closed_dates ?? []).filter((d) => d >= today && d <= addDays(today, 60));
  const address = contact ? [...contact.address.lines, townLine(contact.address)].filter(Boolean) : [];
  const reach = contact && (contact.phone || contact.email || contact.website || address.length > 0);
  if (!anyHours && !reach && soon.length === 0) return null;
  return (
    <details class="about">
      <summary>{t(anyHours ? "about_hours_contact" : "about_contact")}</summary>
      {anyHours && (
        <table class="hours">
          <caption>
            {t("opening_hours")}
            {fmt.differentZone ? fmt.aside(fmt.zoneName(fmt.zone, undefined, true)) : ""}
          </caption>
          <tbody>
            {weekly.map((ranges, i) => (
              <tr key={WEEKDAYS[i]}>
                <th scope="row">{weekday(fmt.locale, i)}</th>
                <td>{ranges.length ? ranges.map(([a, b]) => `${clock(fmt.locale, a)}–${clock(fmt.locale, b)}`).join(", ") : t("closed")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {soon.length > 0 && <p>{t("closed_on", { dates: soon.map((d) => fmt.day(d)).join("; ") })}</p>}
      {reach && contact && (
        <address>
          {address.map((line) => (
            <div key={line}>{line}</div>
          ))}
          {contact.phone && (
            <div>
              <a href={`tel:${contact.phone.replace(/[^+\d]/g, "")}`}>{contact.phone}</a>
            </div>
          )}
          {contact.email && (
            <div>
              <a href={`mailto:${contact.email}`}>{contact.email}</a>
            </div>
          )}
          {contact.website && (
            <div>
              <a href={contact.website} target="_blank" rel="noopener">
                {contact.website.replace(/^https?:\/\//, "")}
              </a>
            </div>
          )}
        </address>
      )}
    </details>
  );
}
