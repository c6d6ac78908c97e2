/**
 * The widget's attempts at a hold (`POST /v1/public/orders`), kept for the widget's life, not
 * the details step's: Back and the same time again is the same attempt.
 *
 * An attempt is its request; its Idempotency-Key is kept while the request is the same, so
 * Book pressed again after a lost answer gets the hold the server made, not a second one.
 * A request changed after a lost answer (another time, a corrected e-mail) is a new attempt,
 * but first the unseen hold is found (the previous request's key and body, looked up with
 * `Idempotency-Replay: only`: the server answers the hold it made, and makes none when the
 * request never arrived) and given back, as "Choose another time" gives a hold back. An outside tester's phone lost the answer to Book, the guest went Back and
 * booked the same time again with a new key: two holds, both confirmed in the end (one from
 * the "complete your booking" e-mail of the hold the guest never saw).
 */
import type { Api, CustomerIn, LineIn, Order, PointsOffer } from "./api";
import { ApiError, newKey } from "./api";

export interface HoldRequest {
  customer: CustomerIn;
  lines: LineIn[];
  note: string;
  coupon: string;
  expectedTotal: number;
  spend: PointsOffer | null;
}

interface Attempt {
  signature: string;
  key: string;
  request: HoldRequest;
  /** Its answer was lost (the network, or the gateway's 5xx): a hold may exist unseen. */
  unseen: boolean;
}

/** The answer was lost rather than a refusal: the server may have made the hold. */
function lost(error: unknown): boolean {
  return error instanceof ApiError && (error.code === "network" || error.status >= 500);
}

function send(api: Api, r: HoldRequest, key: string, lookOnly = false): Promise<Order> {
  return api.hold(r.customer, r.lines, r.note, key, r.coupon, r.expectedTotal, r.spend, lookOnly);
}

export class HoldAttempts {
  private last: Attempt | null = null;

  async hold(api: Api, request: HoldRequest): Promise<Order> {
    const signature = JSON.stringify(request);
    if (this.last && this.last.signature !== signature) {
      if (this.last.unseen) await this.giveBack(api, this.last);
      this.last = null;
    }
    const attempt = this.last ?? { signature, key: newKey(), request, unseen: false };
    this.last = attempt;
    try {
      const order = await send(api, request, attempt.key);
      // Seen: the next Book (after "Choose another time", say) is a new attempt.
      this.last = null;
      return order;
    } catch (e) {
      attempt.unseen = attempt.unseen || lost(e);
      throw e;
    }
  }

  /** The hold an attempt whose answer was lost made, given back; a refusal of the look (404
   * `attempt_not_made`) means none was made, and none is made by looking. A hold confirmed
   * meanwhile (its e-mail's link) is the customer's: kept. Its own answer lost again: thrown,
   * and the new attempt waits for the next Book. */
  private async giveBack(api: Api, attempt: Attempt): Promise<void> {
    let order: Order;
    try {
      order = await send(api, attempt.request, attempt.key, true);
    } catch (e) {
      if (lost(e)) throw e;
      return;
    }
    if (order.status !== "held" || !order.manage_token) return;
    try {
      await api.release(order.id, order.manage_token);
    } catch (e) {
      if (lost(e)) throw e;
    }
  }
}
