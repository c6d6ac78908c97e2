/**
 * The tenant's API as the console calls it: the same documented routes a tenant's own server
 * may call, with the signed-in staff member's ID token. Every POST carries an Idempotency-Key
 * (one per click; a new booking keeps one per attempt, so pressing again after a lost answer
 * holds once); changes to an order send its version as If-Match where the route wants one.
 */

import { refusalOf } from "../shared/refusal";
import { type Auth, AuthError } from "./auth";
import type {
  Answers,
  Availability,
  CustomerIn,
  LineIn,
  PublicTenant,
  Question,
  Order as WidgetOrder,
} from "../widget/api";

export type { Answers, Availability, CustomerIn, LineIn, PublicTenant, Question };

/** The desk's customer: a phone booking names a phone and no e-mail (the widget's needs one). */
export type DeskCustomerIn = Omit<CustomerIn, "email"> & { email?: string };

export type Role = "owner" | "manager" | "staff" | "viewer";

export interface Order extends WidgetOrder {
  /** `phone_display`: the phone grouped as its country writes it, to show (a link dials `phone`);
   * `erased`: the customer was erased, `email` a placeholder. */
  customer: WidgetOrder["customer"] & { phone_display?: string | null; erased?: boolean };
  channel: string;
  created_at: string;
  updated_at: string;
  note: string;
  overbooked?: boolean; // a partner's guest that holds no room (Overbookings resolves it)
  partner?: OrderPartner | null;
}

/** A channel partner's order's partner, with the business's terms (staff see them). */
export interface OrderPartner {
  connection_id: string;
  name: string;
  reference: string;
  commission_bp: number;
  commission: number;
  price?: number | null; // what the partner sold it for, in minor units of price_currency
  price_currency?: string | null;
  settlement?: "partner" | "customer" | null; // who the guest pays; null: before it was kept
}

export interface Redeem {
  coupon?: string;
  points?: number;
}

export interface OrderPage {
  data: Order[];
  next_cursor: string | null;
  sorted_by: "start" | "name" | "created";
  /** The start dates searched: those given, else today and the next 30 days; null when no
   * start dates bound the search (a reference, a name, creation dates). */
  start_window?: { from: string; to: string } | null;
}

export interface Staff {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: string;
}

export interface Outage {
  room: string;
  from: string;
  to: string;
  reason: string;
}

export interface Resource {
  id: string;
  name: string;
  kind: "nightly" | "timed" | "session";
  capacity: number;
  active: boolean;
  rev: number;
  rooms: string[];
  outages: Outage[];
}

export type Housekeeping = "clean" | "dirty" | "inspected";

export interface StayRef {
  order_id: string;
  line: number;
  status: string;
  guest: string;
  check_in: string;
  nights: number;
  party: number;
}

export interface BoardRoom {
  room: string;
  housekeeping: { room: string; status: Housekeeping; at: string; by: string } | null;
  out_of_order: Outage | null;
  occupant: StayRef | null;
  departing: StayRef | null;
  free: boolean;
  held?: StayRef | null; // holds the room tonight, its guest gone (left early) or never come
}

export interface RoomBoard {
  resource_id: string;
  resource_name: string;
  rev: number;
  date: string;
  nights: number;
  rooms: BoardRoom[];
  unassigned: StayRef[];
  complete: boolean;
  held?: StayRef[]; // stays holding tonight without their guest (left early, no-show)
  for_sale: number; // units of the type for sale on every night of the window
}

export interface Offering {
  id: string;
  name: string;
  kind: "nightly" | "timed" | "session";
  active: boolean;
  party_min: number;
  party_max: number;
  questions: Question[];
}

export interface DayLine {
  role: "arrival" | "departure" | "in_house" | "appointment" | "session";
  order_id: string;
  status: string;
  payment_status: string;
  customer: { name: string; email: string; phone: string | null };
  offering_id: string;
  offering_name: string;
  start: string;
  end: string;
  start_utc: string;
  nights: number;
  party: number;
  quantity: number;
  units: number;
  note: string;
  total: number;
  currency: string;
  answers: { booking: Record<string, string | number>; people: Record<string, string | number>[] } | null;
  room: string | null;
}

export interface DaySheet {
  resource_id: string;
  resource_name: string;
  kind: string;
  date: string;
  hours: { start: string; end: string }[]; // a timed resource's working hours that day (HH:MM)
  late_until?: string | null; // HH:MM the next day to which those hours run on past midnight
  arrivals: DayLine[];
  departures: DayLine[];
  in_house: DayLine[];
  appointments: DayLine[];
  // on_sale false: called off (called_off true) or taken off the schedule with bookings still on it
  sessions: { start: string; start_utc: string; end: string; capacity: number; booked: number; on_sale: boolean; called_off: boolean; lines: DayLine[] }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Which roles may do what, as the API's roles table says (the API enforces it anyway). */
export const MAY = {
  operate: (role: Role) => role !== "viewer",
  manage: (role: Role) => role === "owner" || role === "manager",
  // The figures and report exports: a viewer reads them too (the bookkeeper's read-only
  // login), a stylist or guide does not (the business's revenue is not theirs to see).
  report: (role: Role) => role !== "staff",
};

/** Cognito's answers to a token refresh that end the sign-in (no session kept, the login or
 * its refresh token refused). */
export const ENDS_SIGN_IN = new Set(["signed_out", "NotAuthorizedException", "UserNotFoundException"]);

export class Api {
  /** `refusedLogin`: called with the refusal's code when the API no longer takes this login
   * (401: its token ran out or is not valid; 403 `user_disabled`), so the console signs out
   * and says why instead of leaving a page that fails on every click, or refuses its role
   * (403 `role_forbidden`: the role may have changed since sign-in). */
  constructor(
    readonly base: string,
    private readonly auth: Auth,
    private readonly refusedLogin: (code: string) => void = () => undefined,
  ) {}

  private tenantVersion: number | undefined; // of GET or PATCH /v1/tenant, the last answered

  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v));
    const text = params.toString();
    return this.send<T>("GET", `${path}${text ? `?${text}` : ""}`);
  }

  async post<T>(path: string, body: unknown = {}, ifMatch?: number): Promise<T> {
    return this.send<T>("POST", path, body, ifMatch);
  }

  async patch<T>(path: string, body: unknown, ifMatch?: number): Promise<T> {
    return this.send<T>("PATCH", path, body, ifMatch);
  }

  async put<T>(path: string, body: unknown, ifMatch?: number): Promise<T> {
    return this.send<T>("PUT", path, body, ifMatch);
  }

  async delete<T>(path: string, ifMatch?: number): Promise<T> {
    return this.send<T>("DELETE", path, undefined, ifMatch);
  }

  /** The login's ID token. A refresh Cognito refuses (the login disabled, its refresh token
   * run out or revoked) ends the sign-in as an API's 401 does: said, and signed out (a
   * reviewer's tab, reopened after an hour, said "error: User is disabled." on every click). */
  private async bearer(): Promise<string> {
    try {
      return `Bearer ${await this.auth.token()}`;
    } catch (e) {
      // Only a refusal of the login ends it; Cognito's throttling or its own failure is said
      // and may be tried again, the page (and any form) kept (a reviewer's).
      if (e instanceof AuthError && ENDS_SIGN_IN.has(e.code)) {
        this.refusedLogin(/disabled/i.test(e.message) ? "user_disabled" : "signed_out");
      }
      throw e;
    }
  }

  private async send<T>(method: string, path: string, body?: unknown, ifMatch?: number, key?: string): Promise<T> {
    const headers: Record<string, string> = { Authorization: await this.bearer() };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      // One key per click: a request repeated by the network is answered once. A caller that
      // retries on purpose (a new booking) passes its attempt's key.
      if (method === "POST") headers["Idempotency-Key"] = key ?? crypto.randomUUID();
    }
    // The tenant's settings: a change applies to the version this console last read or wrote
    // (412 when another manager changed it since, rather than overwriting it unseen).
    const tenantVersion = path === "/v1/tenant" && method === "PATCH" ? this.tenantVersion : undefined;
    const version = ifMatch ?? tenantVersion;
    if (version !== undefined) headers["If-Match"] = `"${version}"`;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, "network", "The server cannot be reached.");
    }
    const data = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (response.ok && path === "/v1/tenant" && typeof data?.version === "number") this.tenantVersion = data.version;
    if (!response.ok) {
      const refusal = refusalOf(response.status, data, response.statusText, "error");
      if (response.status === 401 || ["user_disabled", "role_forbidden", "forbidden_role"].includes(refusal.code)) {
        this.refusedLogin(refusal.code);
      }
      throw new ApiError(response.status, refusal.code, refusal.message, refusal.details);
    }
    return data as T;
  }

  /** A printout (`…/confirmation.pdf`, `…/day.pdf`) as a file: binary answers come only to a
   * request that accepts their type. */
  async pdf(path: string, query: Record<string, string>): Promise<Blob> {
    const headers = { Authorization: await this.bearer(), Accept: "application/pdf" };
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}?${new URLSearchParams(query)}`, { headers });
    } catch {
      throw new ApiError(0, "network", "The server cannot be reached.");
    }
    if (!response.ok) {
      const refusal = refusalOf(response.status, await response.json().catch(() => null), response.statusText, "error");
      throw new ApiError(response.status, refusal.code, refusal.message, refusal.details);
    }
    return response.blob();
  }

  // -- the routes the console uses ------------------------------------------------------------

  me(sub: string): Promise<Staff> {
    return this.get<Staff>(`/v1/staff/${encodeURIComponent(sub)}`);
  }

  tenant(): Promise<PublicTenant> {
    return this.get<PublicTenant>("/v1/public/tenant");
  }

  async resources(): Promise<Resource[]> {
    return (await this.get<{ data: Resource[] }>("/v1/resources")).data.filter((r) => r.active);
  }

  async offerings(): Promise<Offering[]> {
    return (await this.get<{ data: Offering[] }>("/v1/offerings")).data.filter((o) => o.active);
  }

  day(resourceId: string, date: string): Promise<DaySheet> {
    return this.get<DaySheet>(`/v1/resources/${encodeURIComponent(resourceId)}/day`, { date });
  }

  /** A room type's rooms on a night; `free` is for `nights` nights from `date` on. */
  rooms(resourceId: string, date: string, nights = 1): Promise<RoomBoard> {
    return this.get<RoomBoard>(`/v1/resources/${encodeURIComponent(resourceId)}/rooms`, { date, nights });
  }

  /** Give a stay's line its room from a night on; `resource_id`: a room of another type;
   * `quote`: the order as the move would make it (its new price), nothing changed;
   * `expected_total`: the quote's total, a move that would cost another refused (409). */
  moveRoom(
    order: Order,
    body: { line: number; room: string; resource_id?: string; from?: string; quote?: boolean; expected_total?: number },
  ): Promise<Order> {
    return this.post<Order>(`/v1/orders/${encodeURIComponent(order.id)}/room`, body, order.version);
  }

  search(query: Record<string, string | undefined>): Promise<OrderPage> {
    return this.get<OrderPage>("/v1/orders", query);
  }

  order(id: string): Promise<Order> {
    return this.get<Order>(`/v1/orders/${encodeURIComponent(id)}`);
  }

  /** confirm, check-in, complete, no-show, cancel: each idempotent by the target status.
   * `ifMatch`: the order's version what the desk was shown was read on (409 when stale). */
  act(id: string, action: string, body: object = {}, ifMatch?: number): Promise<Order> {
    return this.post<Order>(`/v1/orders/${encodeURIComponent(id)}/${action}`, body, ifMatch);
  }

  availability(query: Record<string, string | undefined>): Promise<Availability> {
    return this.get<Availability>("/v1/availability", query);
  }

  /** `redeem`: a coupon code and loyalty points, taken off as a discount in the same hold. */
  hold(customer: DeskCustomerIn, lines: LineIn[], note: string, attempt: string, redeem: Redeem = {}): Promise<Order> {
    const body = { customer, lines, ...(note ? { note } : {}), ...redeem };
    return this.send<Order>("POST", "/v1/orders", body, undefined, attempt);
  }
}
