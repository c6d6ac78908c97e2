/**
 * The catalog as the editor reads and writes it (`/v1/resources`, `/v1/offerings`): the
 * shapes of the API's models, the body a PUT or POST takes (only the fields the API accepts:
 * it refuses unknown ones), and money and percentages typed as text and sent as integers
 * (minor units of the tenant's currency, basis points), never through a float.
 */

import type { Api, Outage, Question } from "./api";

export type Kind = "nightly" | "timed" | "session";
export const KINDS: Kind[] = ["timed", "nightly", "session"];
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
export const WEEKDAYS: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const GRID = [5, 10, 15, 20, 30, 60];
export type Span = [string, string];

export interface Closure {
  from: string;
  to: string;
  reason: string;
}

export interface DateOverride {
  closed: boolean;
  hours: Span[] | null;
  session_times: string[] | null;
  capacity: number | null;
  called_off: string[]; // sessions not sold that day (a departure called off); kept by an edit
}

/** What POST and PUT /v1/resources take. */
export interface ResourceBody {
  name: string;
  kind: Kind;
  capacity: number;
  tags: string[];
  skills: string[];
  hours: Partial<Record<Weekday, Span[]>>;
  slot_minutes: number;
  session_times: Partial<Record<Weekday, string[]>>;
  session_minutes: number;
  shards: number;
  open_nights: Weekday[];
  closures: Closure[];
  rooms: string[];
  active: boolean;
}

export interface CatalogResource extends ResourceBody {
  id: string;
  rev: number;
  overrides: Record<string, DateOverride>;
  outages: Outage[];
}

export interface Requirement {
  resource_id: string | null;
  skill: string | null;
  tag: string | null;
  units: number;
  per: "booking" | "person";
}

export type Basis = "booking" | "person" | "night" | "person_night" | "hour";
/** What each kind's price may count (the API refuses the rest: 422 `basis_not_for_kind`). */
export const BASES_OF: Record<Kind, Basis[]> = {
  nightly: ["booking", "person", "night", "person_night"],
  timed: ["booking", "person", "hour"],
  session: ["booking", "person"],
};

export interface Pricing {
  amount: number;
  basis: Basis;
  weekdays: Partial<Record<Weekday, { percent_bp: number; amount: number }>>;
  seasons: { from: string; to: string; percent_bp: number; amount: number; name: string }[];
  date_prices: Record<string, number>;
  tax_bp: number;
  tax_inclusive: boolean;
}

export type DepositKind = "none" | "percent" | "fixed" | "full";

export type UnpaidRule = "leave" | "cancel";

export interface Deposit {
  kind: DepositKind;
  value: number;
  manual_capture: boolean;
  no_show_fee: number;
  /** Collect the balance this many days before the start (null: the desk does). */
  balance_due_days_before: number | null;
  if_unpaid: UnpaidRule;
  /** An instalment plan instead of a deposit (1: none). */
  instalments: number;
  instalment_months: number;
}

export interface RefundTier {
  hours_before: number;
  refund_bp: number;
}

/** What POST and PUT /v1/offerings take. */
export interface OfferingBody {
  name: string;
  kind: Kind;
  description: string;
  requirements: Requirement[];
  pricing: Pricing;
  duration_minutes: number;
  buffer_before: number;
  buffer_after: number;
  interval_minutes: number;
  min_notice_minutes: number;
  max_advance_days: number;
  party_min: number;
  party_max: number;
  max_nights: number;
  deposit: Deposit;
  cancellation: RefundTier[];
  questions: Question[];
  active: boolean;
}

export interface CatalogOffering extends OfferingBody {
  id: string;
  rev: number;
}

/** A new resource's capacity by kind: a session's seats start at 10 (the largest party a
 * sessions offering starts with), a person's diary or a room type at 1. */
export const CAPACITY_OF: Record<Kind, number> = { nightly: 1, timed: 1, session: 10 };

export function newResource(kind: Kind): ResourceBody {
  return {
    name: "",
    kind,
    capacity: CAPACITY_OF[kind],
    tags: [],
    skills: [],
    hours: {},
    slot_minutes: 15,
    session_times: {},
    session_minutes: 60,
    shards: 1,
    open_nights: [...WEEKDAYS],
    closures: [],
    rooms: [],
    active: true,
  };
}

const BASIS_OF: Record<Kind, Basis> = { nightly: "night", timed: "booking", session: "person" };
const PARTY_MAX_OF: Record<Kind, number> = { nightly: 2, timed: 1, session: 10 };

/** A new offering's defaults by kind: a session sells a seat to each guest (its session's
 * requirement per person, its price per person); a stay takes one room of its type per
 * booking and a couple by default; an appointment takes one staff member for one person. */
export function newOffering(kind: Kind): OfferingBody {
  const seats = kind === "session";
  return {
    name: "",
    kind,
    description: "",
    requirements: [{ resource_id: null, skill: null, tag: null, units: 1, per: seats ? "person" : "booking" }],
    pricing: { amount: 0, basis: BASIS_OF[kind], weekdays: {}, seasons: [], date_prices: {}, tax_bp: 0, tax_inclusive: true },
    duration_minutes: 60,
    buffer_before: 0,
    buffer_after: 0,
    interval_minutes: 15,
    min_notice_minutes: 0,
    max_advance_days: 365,
    party_min: 1,
    party_max: PARTY_MAX_OF[kind],
    max_nights: 30,
    deposit: {
      kind: "none",
      value: 0,
      manual_capture: false,
      no_show_fee: 0,
      balance_due_days_before: null,
      if_unpaid: "leave",
      instalments: 1,
      instalment_months: 1,
    },
    cancellation: [{ hours_before: 0, refund_bp: 10000 }],
    questions: [],
    active: true,
  };
}

export function resourceBody(r: ResourceBody): ResourceBody {
  const { name, kind, capacity, tags, skills, hours, slot_minutes, session_times, session_minutes, shards } = r;
  const { open_nights, closures, rooms, active } = r;
  // The API's "HH:MM" ends a day at "24:00"; a time field writes midnight as "00:00".
  const ends = Object.fromEntries(
    Object.entries(hours).map(([day, spans]) => [day, (spans ?? []).map(([a, b]) => [a, b === "00:00" ? "24:00" : b])]),
  );
  // Only what the kind has: a kind chosen, then changed before the first save, leaves nothing behind.
  return {
    name: name.trim(),
    kind,
    capacity,
    tags,
    skills,
    hours: kind === "timed" ? ends : {},
    slot_minutes,
    session_times: kind === "session" ? session_times : {},
    session_minutes,
    shards: kind === "session" ? shards : 1,
    open_nights: kind === "nightly" ? open_nights : [...WEEKDAYS],
    closures,
    rooms: kind === "nightly" ? rooms : [],
    active,
  };
}

export function offeringBody(o: OfferingBody): OfferingBody {
  const { name, kind, description, requirements, pricing, duration_minutes, buffer_before, buffer_after } = o;
  const { interval_minutes, min_notice_minutes, max_advance_days, party_min, party_max, max_nights } = o;
  const { deposit, cancellation, questions, active } = o;
  return {
    name: name.trim(),
    kind,
    description,
    // A requirement names a resource, or a skill and/or a tag: empty ones are left out.
    requirements: requirements.map((r) =>
      r.resource_id ? { ...r, skill: null, tag: null } : { ...r, resource_id: null, skill: r.skill || null, tag: r.tag || null },
    ),
    // A season that changes nothing and has no name is one added and never filled in: not
    // sent (an outside tester's empty "Season 2"s piled up, each saved at 0 % and 0.00).
    pricing: { ...pricing, seasons: pricing.seasons.filter((x) => x.name.trim() || x.percent_bp || x.amount) },
    duration_minutes,
    buffer_before,
    buffer_after,
    interval_minutes,
    min_notice_minutes,
    max_advance_days,
    party_min,
    party_max,
    max_nights,
    deposit,
    cancellation,
    questions: questions.map((q) => ({ ...q, choices: q.kind === "choice" ? q.choices : [] })),
    active,
  };
}

const path = (what: "resources" | "offerings", id: string) => `/v1/${what}/${encodeURIComponent(id)}`;

export const catalog = {
  resources: async (api: Api) => (await api.get<{ data: CatalogResource[] }>("/v1/resources")).data,
  offerings: async (api: Api) => (await api.get<{ data: CatalogOffering[] }>("/v1/offerings")).data,
  resource: (api: Api, id: string) => api.get<CatalogResource>(path("resources", id)),
  offering: (api: Api, id: string) => api.get<CatalogOffering>(path("offerings", id)),
  saveResource: (api: Api, body: ResourceBody, id?: string, rev?: number) =>
    id ? api.put<CatalogResource>(path("resources", id), resourceBody(body), rev) : api.post<CatalogResource>("/v1/resources", resourceBody(body)),
  saveOffering: (api: Api, body: OfferingBody, id?: string, rev?: number) =>
    id ? api.put<CatalogOffering>(path("offerings", id), offeringBody(body), rev) : api.post<CatalogOffering>("/v1/offerings", offeringBody(body)),
  stopResource: (api: Api, id: string, rev: number) => api.delete<CatalogResource>(path("resources", id), rev),
  stopOffering: (api: Api, id: string, rev: number) => api.delete<CatalogOffering>(path("offerings", id), rev),
  setOverride: (api: Api, id: string, rev: number, day: string, body: DateOverride) =>
    api.put<CatalogResource>(`${path("resources", id)}/overrides/${day}`, body, rev),
  clearOverride: (api: Api, id: string, rev: number, day: string) =>
    api.delete<CatalogResource>(`${path("resources", id)}/overrides/${day}`, rev),
};

/** "45.5" or "45,50" in units of `decimals` places -> 4550; null when it is not such a number.
 * `signed`: a change of price, which may be "-5" (or "−5"). */
export function toMinor(text: string, decimals: number, signed = false): number | null {
  const m = text.trim().match(signed ? /^([-−+]?)([0-9]+)(?:[.,]([0-9]*))?$/ : /^()([0-9]+)(?:[.,]([0-9]*))?$/);
  if (!m || (m[3] ?? "").length > decimals) return null;
  const whole = m[2] ?? "0";
  const part = (m[3] ?? "").padEnd(decimals, "0");
  const minor = Number(whole + part);
  return m[1] === "-" || m[1] === "−" ? -minor : minor;
}

/** 4550 with 2 places -> "45.50": an integer written with its decimal point, for an input. */
export function fromMinor(minor: number, decimals: number): string {
  if (decimals === 0) return String(minor);
  const digits = String(Math.abs(minor)).padStart(decimals + 1, "0");
  return `${minor < 0 ? "-" : ""}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** Words typed with commas or spaces between them -> the list the API takes. */
export function words(text: string): string[] {
  return [...new Set(text.split(/[,\s]+/).filter(Boolean))];
}

export function labels(text: string): string[] {
  return [...new Set(text.split(",").map((s) => s.trim()).filter(Boolean))];
}
