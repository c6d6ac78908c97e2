/**
 * The channels' routes as the console calls them, typed as the channels contract (issue 17)
 * has them: connections (`/v1/channels`), their partner key and HMAC secret (each answered
 * once, never readable again), the mappings, the monthly statement, the inbound events' and
 * outbound deliveries' logs, a full update on demand, and the overbooking conflicts with their
 * resolution. Money is integers in minor units per currency; commission is in basis points.
 */

import type { Api, Offering, Order, Resource } from "./api";

export type ConnectionKind = "octo" | "channel_manager" | "agent";
export const CONNECTION_KINDS: ConnectionKind[] = ["channel_manager", "octo", "agent"];
export type Settlement = "partner" | "customer";
export const SETTLEMENTS: Settlement[] = ["partner", "customer"];
export type Feed = "availability" | "rates";
export const FEEDS: Feed[] = ["availability", "rates"];

export interface Mapping {
  partner_id: string;
  offering_id: string;
  resource_id: string | null;
  rate_id: string;
}

export interface Connection {
  id: string;
  name: string;
  kind: ConnectionKind;
  status: "active" | "disabled";
  settlement: Settlement;
  outbound_url: string | null;
  events: Feed[];
  commission_bp: number;
  offering_commissions: Record<string, number>;
  mappings: Mapping[];
  key_prefix: string | null;
  secret_set: boolean;
  inbound_url: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/** What POST /v1/channels takes; PATCH takes the same fields, `status` and the offerings'
 * commissions, each optional. */
export interface ConnectionBody {
  name: string;
  kind: ConnectionKind;
  settlement: Settlement;
  outbound_url: string | null;
  events: Feed[];
  commission_bp: number;
}

export type ConnectionChange = Partial<ConnectionBody> & {
  status?: Connection["status"];
  offering_commissions?: Record<string, number>;
};

export interface StatementLine {
  order_id: string;
  reference: string;
  booked_at: string;
  status: string;
  currency: string;
  total: number;
  commission_bp: number;
  commission: number;
  /** What the partner sold it for, as its latest message said (a channel manager's). */
  price: number | null;
  price_currency: string | null;
}

export interface StatementTotals {
  orders: number;
  total: number;
  commission: number;
  net: number;
}

export interface Statement {
  connection_id: string;
  name: string;
  month: string;
  zone: string;
  lines: StatementLine[];
  totals: Record<string, StatementTotals>;
}

export type InboundStatus = "applied" | "duplicate" | "parked" | "conflict" | "rejected";

export interface InboundEvent {
  event_id: string;
  type: string;
  external_id: string;
  received_at: string;
  status: InboundStatus;
  order_id: string | null;
  reason: string | null;
}

export type DeliveryStatus = "pending" | "delivered" | "failed" | "dead";

export interface Delivery {
  id: string;
  created_at: string;
  reason: "changes" | "sync"; // a window of bookings or catalog changes, or a full update asked for
  status: DeliveryStatus;
  attempts: number;
  resources: string[];
  from: string;
  to: string; // inclusive
  last_status_code: number | null;
  last_error?: string | null;
  next_attempt_at?: string | null;
}


export type Resolution = { action: "move"; resource_id?: string } | { action: "relocate"; note?: string };

const at = (id: string) => `/v1/channels/${encodeURIComponent(id)}`;

export const channels = {
  list: async (api: Api) => (await api.get<{ data: Connection[] }>("/v1/channels")).data,
  get: (api: Api, id: string) => api.get<Connection>(at(id)),
  create: (api: Api, body: ConnectionBody) => api.post<Connection>("/v1/channels", body),
  change: (api: Api, c: Connection, body: ConnectionChange) => api.patch<Connection>(at(c.id), body, c.version),
  map: (api: Api, id: string, mappings: Mapping[]) => api.put<Connection>(`${at(id)}/mappings`, { mappings }),
  issueKey: (api: Api, id: string) => api.post<{ key: string; prefix: string }>(`${at(id)}/key`),
  issueSecret: (api: Api, id: string) => api.post<{ secret: string }>(`${at(id)}/secret`),
  statement: (api: Api, id: string, month: string) => api.get<Statement>(`${at(id)}/statements/${month}`),
  inbound: async (api: Api, id: string) => (await api.get<{ data: InboundEvent[] }>(`${at(id)}/inbound`)).data,
  deliveries: async (api: Api, id: string) => (await api.get<{ data: Delivery[] }>(`${at(id)}/deliveries`)).data,
  sync: (api: Api, id: string) => api.post<unknown>(`${at(id)}/sync`),
  overbookings: async (api: Api) => (await api.get<{ data: Order[] }>("/v1/overbookings")).data,
  resolve: (api: Api, orderId: string, body: Resolution) =>
    api.post<Order>(`/v1/overbookings/${encodeURIComponent(orderId)}/resolve`, body),
};

/** "12.5" (percent) -> 1250 basis points; null when it is not a percentage from 0 to 100 with
 * at most two decimals. No float: the digits are read as an integer. */
export function percentToBp(text: string): number | null {
  const m = text.trim().replace(/%$/, "").trim().match(/^([0-9]{1,3})(?:[.,]([0-9]{0,2}))?$/);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return bp <= 10_000 ? bp : null;
}

/** 1250 -> "12.5": basis points as the percentage a form's field shows. */
export function bpToPercent(bp: number): string {
  const whole = Math.floor(bp / 100);
  const part = String(bp % 100).padStart(2, "0").replace(/0+$/, "");
  return part ? `${whole}.${part}` : String(whole);
}

/** A commission in basis points as the locale writes a percentage ("12.5%", "12,5 %"). */
export function commission(locale: string, bp: number): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(bp / 10_000);
}

/** "2026-12" plus `months` months ("2026-12", 1 -> "2027-01"). */
export function addMonths(month: string, months: number): string {
  const [y, m] = month.split("-").map(Number);
  const next = new Date(Date.UTC(y!, m! - 1 + months, 1));
  return next.toISOString().slice(0, 7);
}

export type Requirement = { resource_id: string | null; tag: string | null; skill: string | null };
/** An offering with its requirements, as `/v1/offerings` answers it. */
export type Sold = Offering & { requirements?: Requirement[] };
export type Tagged = Resource & { tags?: string[]; skills?: string[] };

/** The resources that can serve an offering's first requirement (the one a move chooses):
 * the resource it names, else the active ones of its kind with its tag or skill. */
export function candidates(offering: Sold, resources: Tagged[]): Tagged[] {
  const need = offering.requirements?.[0];
  if (!need) return [];
  if (need.resource_id) return resources.filter((r) => r.id === need.resource_id);
  return resources.filter(
    (r) => r.kind === offering.kind && (!need.tag || (r.tags ?? []).includes(need.tag)) && (!need.skill || (r.skills ?? []).includes(need.skill)),
  );
}
