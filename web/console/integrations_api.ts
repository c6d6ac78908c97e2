/**
 * The shapes the messages, webhooks and payments pages read from the API (as its OpenAPI
 * document has them), and the small rules they share: which messages there are, how a
 * reminder's offset reads ("2 days before"), which regions Intl names as countries.
 */

import type { Role } from "./api";

export type Channel = "email" | "sms";
export const CHANNELS: Channel[] = ["email", "sms"];

/** `GET /v1/tenant`: the settings these pages change with `PATCH /v1/tenant`. */
export interface TenantSettings {
  version: number;
  settings: {
    sms_countries: string[];
    message_channels: Record<string, Channel[]>;
    reminder_offsets_minutes: number[];
  };
}

export interface TemplateList {
  kinds: string[];
  channels: Record<string, string[]>; // channel -> its parts
  locales: string[];
  overridden: string[]; // "kind/channel/locale" of the business's own
}

export interface Template {
  kind: string;
  channel: Channel;
  locale: string;
  source: "tenant" | "builtin";
  parts: Record<string, string>;
  placeholders: string[];
}

export interface Endpoint {
  id: string;
  url: string;
  event_types: string[];
  description: string;
  status: "enabled" | "disabled";
  disabled_reason: string | null;
  created_at: string;
  version: number;
  health?: EndpointHealth | null;
}

/** How an endpoint's deliveries go (the API's `health`): the failure streak since the last
 * success (`failing_since` its first failure), and the last success and failure. */
export interface EndpointHealth {
  consecutive_failures: number;
  failing_since: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
}

export interface EndpointList {
  data: Endpoint[];
  known_event_types: string[];
}

export interface Attempt {
  delivery_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  at: string;
  status: "succeeded" | "failed";
  response_code: number | null;
  error: string | null;
  next_attempt_at: string | null;
  cursor: string;
}

export interface AttemptPage {
  data: Attempt[];
  next_after: string | null;
}

export interface Connection {
  account_id: string | null;
  charges_enabled: boolean;
  details_submitted: boolean;
  onboarding_url?: string | null;
}

export type PlanName = "free" | "pro" | "business";
export interface Limits {
  bookings_per_month: number | null;
  staff: number | null;
  resources: number | null;
  fee_bp: number;
}
export interface Card {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}
export interface Billing {
  plan: PlanName;
  limits: Limits;
  bookings_this_month: number;
  subscription_id: string | null;
  subscription_status: string | null;
  card: Card | null;
  plans: { plan: PlanName; limits: Limits; available: boolean }[];
}

export interface CardSetup {
  setup_intent_id: string;
  client_secret: string;
  publishable_key: string;
}

/** Subscription statuses after which nothing runs (the API's ENDED). */
export const ENDED = ["canceled", "unpaid", "incomplete_expired"];

export interface Subscription {
  subscription_id: string;
  status: string;
  client_secret: string | null;
}

export const mayOwn = (role: Role) => role === "owner";

/** The API's bounds of `reminder_offsets_minutes`. */
export const OFFSETS = { max: 5, minMinutes: 5, maxMinutes: 43200 };

export type Unit = "days" | "hours" | "minutes";
export const UNIT_MINUTES: Record<Unit, number> = { days: 1440, hours: 60, minutes: 1 };

/** An offset in the largest unit it is a whole number of: 2880 -> 2 days, 90 -> 90 minutes. */
export function offsetParts(minutes: number): { n: number; unit: Unit } {
  if (minutes % 1440 === 0) return { n: minutes / 1440, unit: "days" };
  if (minutes % 60 === 0) return { n: minutes / 60, unit: "hours" };
  return { n: minutes, unit: "minutes" };
}

// Two-letter codes Intl names that are no country, or a place with no numbering plan of its
// own (Antarctica, Bouvet Island, the Canary Islands and Ceuta's, Clipperton, Diego Garcia,
// the French Southern Lands, Heard Island, Pitcairn, Sark, South Georgia, the US Minor
// Outlying Islands): the API takes only the regions `phonenumbers` knows.
const NOT_COUNTRIES = new Set([
  "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ",
  "AQ", "BV", "IC", "EA", "CP", "DG", "TF", "HM", "PN", "CQ", "GS", "UM",
]);

/** Every region Intl names in `lang`, by name: [code, name]. */
export function countries(lang: string): [string, string][] {
  const names = new Intl.DisplayNames([lang], { type: "region", fallback: "none" });
  const found: [string, string][] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = NOT_COUNTRIES.has(code) ? undefined : names.of(code);
      // An old code Intl still names (DD for Germany, UK, YU, ZR) is its current one's alias:
      // offered, the API refused it (an outside tester's "Germany (DD)"), and the country
      // was listed twice.
      if (name && current(code)) found.push([code, name]);
    }
  }
  return found.sort((x, y) => x[1].localeCompare(y[1], lang));
}

/** Whether `code` is a region's current code, not an alias Intl maps to another one. */
function current(code: string): boolean {
  try {
    return new Intl.Locale(`und-${code}`).region === code;
  } catch {
    return false;
  }
}

export function countryName(lang: string, code: string): string {
  return new Intl.DisplayNames([lang], { type: "region", fallback: "code" }).of(code) ?? code;
}
