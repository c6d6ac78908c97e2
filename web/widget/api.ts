/**
 * The public booking API as the widget calls it: the tenant's publishable key, JSON, an
 * Idempotency-Key on every POST (a retry after a lost answer replays the first instead of
 * booking twice), and one error type carrying the API's `{"error": {code, message, details}}`
 * (or, for what API Gateway answers itself, the code its status names: ../shared/refusal.ts).
 */

import { refusalOf } from "../shared/refusal";

export interface PublicTenant {
  name: string;
  slug: string;
  business_type: string;
  timezone: string;
  currency: string;
  currency_decimals: number;
  locale: string;
  /** "" where the business chose none (the widget's own colour, no logo, the page's language). */
  branding?: { primary_colour: string; logo_url: string; widget_language: string };
  /** The hours the business tells customers (ranges "HH:MM" of its own zone, [] closed). */
  opening_hours?: { weekly: Record<string, [string, string][]>; closed_dates: string[] };
  contact?: {
    email: string;
    phone: string;
    address: { lines: string[]; city: string; postcode: string; country: string };
    website: string;
  };
  /** When a stay's guests may arrive and must leave ("HH:MM" on the business's clock). */
  stay_times?: { check_in_time: string; check_out_time: string };
}

export interface ResourceName {
  resource_id: string;
  name: string;
}

export interface Offering {
  id: string;
  name: string;
  kind: "nightly" | "timed" | "session";
  description: string;
  duration_minutes: number | null;
  party_min: number;
  party_max: number;
  max_nights: number | null;
  price_from: number;
  price_basis: string;
  currency: string;
  deposit: { kind: string; value: number; no_show_fee?: number };
  cancellation: { hours_before: number; refund_bp: number }[];
  resource_choices: { requirement: number; resources: ResourceName[] }[];
  questions: Question[];
}

/** An offering suggested after a booking, with the share of customers behind it. */
export interface Suggestion {
  offering_id: string;
  name: string;
  because_offering_id: string;
  because_name: string;
  share_percent: number;
  explanation: string;
}

export interface Question {
  id: string;
  label: string;
  /** The label in other languages, by locale tag (`en`, `zh`): `labelIn` picks. */
  labels?: Record<string, string>;
  kind: "text" | "choice" | "number" | "date";
  required: boolean;
  per: "booking" | "person";
  choices: string[];
  minimum: number | null;
  maximum: number | null;
  max_length: number;
}

export type AnswerMap = Record<string, string | number>;

export interface Answers {
  booking: AnswerMap;
  people: AnswerMap[];
}

export interface PriceItem {
  label: string;
  unit_amount: number;
  quantity: number;
}

export interface Price {
  currency: string;
  items: PriceItem[];
  subtotal: number;
  tax: number;
  total: number;
  tax_inclusive: boolean;
  deposit: number;
}

export interface Server {
  requirement: number;
  resource_id: string;
  name: string;
}

export interface Option {
  start: string; // local wall time with offset, e.g. 2026-12-24T10:00+01:00
  end: string;
  date: string;
  caller_start: string | null;
  remaining: number;
  price: Price;
  resources: Server[];
}

export interface Availability {
  offering_id: string;
  kind: string;
  timezone: string;
  currency: string;
  party: number;
  options: Option[];
}

export interface LineIn {
  offering_id: string;
  start?: string; // wall-clock in the business's zone, YYYY-MM-DDTHH:MM
  check_in?: string;
  nights?: number;
  party?: number;
  resource_ids?: Record<string, string>;
  answers?: Answers;
}

export interface CustomerIn {
  name: string;
  email: string;
  phone?: string | null;
  locale?: string | null;
}

export interface OrderLine {
  offering_id: string;
  offering_name: string;
  start: string;
  end: string;
  start_utc: string;
  end_utc: string;
  date: string;
  party: number;
  quantity: number;
  nights: number;
  /** `chosen`: the guest named it (their stylist, the table they asked for); the rest (a
   * tour's departure, a room type, a basin) is the business's arrangement. */
  resources: (Server & { chosen: boolean })[];
  price: Price;
  answers?: Answers | null;
  rooms?: { first_night: string; room: string }[];
  /** The cancellation tiers the line was booked under (kept when the offering's change);
   * null: booked before they were kept, the offering's apply. */
  cancellation?: { hours_before: number; refund_bp: number }[] | null;
}

export interface Order {
  id: string;
  status: string;
  payment_status: string;
  version: number;
  currency: string;
  customer: { name: string; email: string; phone: string | null; locale?: string | null };
  lines: OrderLine[];
  /** The folio's live extra charges and discounts (added by the business), in the totals. */
  charges?: { id: string; kind: string; label: string; quantity: number; tax_rate_bp: number; total: number }[];
  /** `paid`: what the order keeps of what came in (a moved booking's new deposit is not it). */
  totals: { subtotal: number; tax: number; total: number; deposit_due: number; paid: number; owed_back?: number };
  hold_expires_at: string | null;
  manage_token: string | null;
  cancellation: Record<string, unknown> | null;
  /** A channel partner's booking (who sold it): changed or cancelled through the partner. */
  partner?: { name: string; reference: string; settlement?: "partner" | "customer" | null } | null;
  /** An instalment plan's parts once confirmed (the first paid at booking); absent: none. */
  plan?: { due: string; amount: number }[];
}

export interface CodeCheck {
  code: string;
  kind: string;
  value: number;
  discount: number;
}

export interface Points {
  enabled: boolean;
  points: number;
  value: number;
}

/** The points a customer opened from their e-mail's link may spend on a new booking: the
 * proof is that order's (its manage token and the e-mail proof), the points theirs under
 * `email` only (the API checks both). */
export interface PointsOffer {
  orderId: string;
  token: string;
  proof: string;
  name: string;
  email: string;
  phone: string | null;
  points: number;
  value: number;
}

export interface PaymentStart {
  order_id: string;
  payment_id: string;
  kind: string;
  amount: number;
  currency: string;
  status: string;
  client_secret: string | null;
  stripe_account: string;
  publishable_key: string;
  /** The instalment plan this payment is the first part of (or pays on); empty: none. */
  plan?: { due: string; amount: number; paid: boolean }[];
}

/** How a held booking is settled (`GET /v1/public/orders/{id}/payment`), asked before either. */
export interface Settling {
  order_id: string;
  how: "card" | "venue" | "unavailable";
  kind: string | null;
}

export interface GiftCardSale {
  amount: number;
  buyer: { name: string; email: string };
  recipient: { name: string; email: string };
  message: string;
  lang: string;
}

/** What a card bought here may hold (`GET /v1/public/gift-cards/settings`), in minor units. */
export interface GiftCardBounds {
  currency: string;
  min_amount: number;
  max_amount: number;
}

export interface GiftCardBalance {
  balance: number;
  currency: string;
  expires_on: string | null;
  usable: boolean;
}

export interface GiftCardPayment {
  payment_id: string;
  amount: number;
  currency: string;
  client_secret: string | null;
  stripe_account: string;
  publishable_key: string;
  /** The instalment plan this payment is the first part of (or pays on); empty: none. */
  plan?: { due: string; amount: number; paid: boolean }[];
}

/** What a confirmed booking still owes (`GET /v1/public/orders/{id}/balance`). */
export interface Owed {
  order_id: string;
  /** The order's status as read now: a booking cancelled meanwhile owes nothing, not paid. */
  status: string;
  currency: string;
  total: number;
  owed: number;
  next_due_at: string | null;
  card_on_file: boolean;
  /** The business takes it online now; false: paid at the venue, so no Pay button. */
  online: boolean;
  plan: { due: string; amount: number; paid: boolean }[];
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

export function newKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Api {
  /** The server's clock minus this device's, in ms, from the last answer's Date header. */
  skew = 0;

  constructor(
    readonly base: string,
    readonly key: string,
  ) {}

  /** Now by the server's clock (a hold's countdown must not trust the visitor's). */
  now(): number {
    return Date.now() + this.skew;
  }

  private async call<T>(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    idempotencyKey: string = newKey(),
  ): Promise<T> {
    const init: RequestInit = {
      method,
      headers: { Authorization: `Bearer ${this.key}`, ...headers },
      credentials: "omit",
    };
    if (method === "POST") {
      (init.headers as Record<string, string>)["Content-Type"] = "application/json";
      (init.headers as Record<string, string>)["Idempotency-Key"] = idempotencyKey;
      init.body = JSON.stringify(body ?? {});
    }
    let response: Response;
    try {
      response = await fetch(this.base.replace(/\/$/, "") + path, init);
    } catch {
      throw new ApiError(0, "network", "network");
    }
    const served = Date.parse(response.headers.get("Date") ?? "");
    if (!Number.isNaN(served)) this.skew = served - Date.now();
    const text = await response.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!response.ok) {
      const refusal = refusalOf(response.status, data, response.statusText, "http_" + response.status);
      throw new ApiError(response.status, refusal.code, refusal.message, refusal.details);
    }
    return data as T;
  }

  tenant(): Promise<PublicTenant> {
    return this.call("GET", "/v1/public/tenant");
  }

  async offerings(): Promise<Offering[]> {
    return (await this.call<{ data: Offering[] }>("GET", "/v1/public/offerings")).data;
  }

  availability(q: {
    offering: string;
    from: string;
    to: string;
    party?: number;
    nights?: number;
    resource?: string | null;
    tz?: string | null;
    /** The customer's own booking being moved, with its manage token: its own units count
     * as free for it (a stay moved by one night keeps the night it holds). */
    moving?: { order: string; token: string } | null;
  }): Promise<Availability> {
    const params = new URLSearchParams({ offering: q.offering, from: q.from, to: q.to });
    if (q.party) params.set("party", String(q.party));
    if (q.nights) params.set("nights", String(q.nights));
    if (q.resource) params.set("resource", q.resource);
    if (q.tz) params.set("tz", q.tz);
    if (q.moving) params.set("order", q.moving.order);
    // The token in a header, as the manage routes send it: never in an address a log keeps.
    const headers: Record<string, string> = q.moving ? { "X-Manage-Token": q.moving.token } : {};
    return this.call("GET", `/v1/public/availability?${params}`, undefined, headers);
  }

  /** `attempt`: the same key for a retry of the same booking, so it holds once. */
  /** `coupon`: a promotion code, taken off as a discount in the same hold. */
  /** `expectedTotal`: the lines' total the customer was shown; another price now is refused,
   * 409 `price_changed` with `details.total`, the price now. */
  /** `spend`: the customer's points offer; the booking spends up to all of them (no more than
   * takes it to zero). */
  hold(
    customer: CustomerIn,
    lines: LineIn[],
    note: string,
    attempt: string,
    coupon = "",
    expectedTotal?: number,
    spend?: PointsOffer | null,
    lookOnly = false,
  ): Promise<Order> {
    const points = spend
      ? { points: spend.points, points_proof: { order_id: spend.orderId, manage_token: spend.token, email_proof: spend.proof } }
      : {};
    const body = {
      customer,
      lines,
      note,
      ...(coupon ? { coupon } : {}),
      ...(expectedTotal !== undefined ? { expected_total: expectedTotal } : {}),
      ...points,
    };
    // `lookOnly`: the hold this attempt made, if it made one, and none made now (404
    // `attempt_not_made`): the request again would hold the places when the first never arrived.
    const look: Record<string, string> = lookOnly ? { "Idempotency-Replay": "only" } : {};
    return this.call("POST", "/v1/public/orders", body, look, attempt);
  }

  /** What a code would take off these lines (`POST /v1/public/coupons/check`). No e-mail: the
   * check does not say whether an address used a code (the booking does, for its own). */
  checkCode(code: string, lines: { offering_id: string; amount: number }[]): Promise<CodeCheck> {
    return this.call("POST", "/v1/public/coupons/check", { code, lines });
  }

  /** The customer's loyalty points, on their order's manage page: only with `proof`, the
   * e-mail proof of the link in an e-mail about the order (403 `email_link_required`). */
  points(orderId: string, token: string, proof: string): Promise<Points> {
    const path = `/v1/public/orders/${encodeURIComponent(orderId)}/points`;
    const headers: Record<string, string> = { "X-Manage-Token": token };
    if (proof) headers["X-Email-Proof"] = proof;
    return this.call("GET", path, undefined, headers);
  }

  private managed<T>(method: "GET" | "POST", orderId: string, token: string, action = "", body?: unknown): Promise<T> {
    const path = `/v1/public/orders/${encodeURIComponent(orderId)}${action ? "/" + action : ""}`;
    return this.call(method, path, body, { "X-Manage-Token": token });
  }

  order(orderId: string, token: string): Promise<Order> {
    return this.managed("GET", orderId, token);
  }

  confirmAtVenue(orderId: string, token: string): Promise<Order> {
    return this.managed("POST", orderId, token, "confirm");
  }

  settling(orderId: string, token: string): Promise<Settling> {
    return this.managed("GET", orderId, token, "payment");
  }

  pay(orderId: string, token: string): Promise<PaymentStart> {
    return this.managed("POST", orderId, token, "payment");
  }

  /** The hold paid (in part) by a gift card's code; the order as it is now. */
  payByGiftCard(orderId: string, token: string, code: string): Promise<Order> {
    return this.managed("POST", orderId, token, "gift-card", { code });
  }

  /** What a gift card's code holds (`POST /v1/public/gift-cards/balance`). */
  giftCardBalance(code: string): Promise<GiftCardBalance> {
    return this.call("POST", "/v1/public/gift-cards/balance", { code });
  }

  /** The least and the most a card bought here may hold. */
  giftCardBounds(): Promise<GiftCardBounds> {
    return this.call("GET", "/v1/public/gift-cards/settings");
  }

  /** A gift card bought by card: the PaymentIntent the card form pays (`attempt`: a retry's key). */
  buyGiftCard(sale: GiftCardSale, attempt: string): Promise<GiftCardPayment> {
    return this.call("POST", "/v1/public/gift-cards", sale, {}, attempt);
  }

  owed(orderId: string, token: string): Promise<Owed> {
    return this.managed("GET", orderId, token, "balance");
  }

  payBalance(orderId: string, token: string): Promise<PaymentStart> {
    return this.managed("POST", orderId, token, "balance", {});
  }

  /** `quote`: the order as cancelling it now would make it (its fee and refund), unchanged. */
  cancel(orderId: string, token: string, quote = false): Promise<Order> {
    return this.managed("POST", orderId, token, "cancel", quote ? { quote: true } : {});
  }

  /** The widget's "Choose another time": the hold given back, and only a hold; 409
   * `no_longer_held` once its payment confirmed it (a plain cancel cancelled a paid booking
   * whose payment's answer was lost). */
  release(orderId: string, token: string): Promise<Order> {
    return this.managed("POST", orderId, token, "cancel", { release: true });
  }

  /** `quote`: the order as the move would make it (its new total), nothing moved;
   * `expectedTotal`: the total the quote said, refused (409 `price_changed`) if it is another. */
  reschedule(orderId: string, token: string, lines: LineIn[], quote = false, expectedTotal?: number): Promise<Order> {
    const agreed = expectedTotal === undefined ? {} : { expected_total: expectedTotal };
    return this.managed("POST", orderId, token, "reschedule", quote ? { lines, quote: true } : { lines, ...agreed });
  }

  /** What customers who booked this order's offerings also booked (none: an empty list). */
  async suggestions(orderId: string, token: string): Promise<Suggestion[]> {
    return (await this.managed<{ data: Suggestion[] }>("GET", orderId, token, "suggestions")).data;
  }
}
