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
  /** When it was last sent (the visitor's clock), for a look that may come too soon. */
  sentAt: number;
}

/** A lost request may still be running on the server for a moment after its answer is lost;
 * a look sooner than this after it was sent that finds nothing looks once more at its end. */
export const STILL_RUNNING_MS = 5000;

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

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
    const attempt = this.last ?? { signature, key: newKey(), request, unseen: false, sentAt: 0 };
    this.last = attempt;
    attempt.sentAt = Date.now();
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
      order = await this.look(api, attempt);
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

  /** The attempt's hold, if it made one. Nothing found within `STILL_RUNNING_MS` of sending
   * it (the request may not have committed yet: a reviewer's race) is looked for once more
   * when that time is up, so a hold committed a moment after the first look is still found. */
  private async look(api: Api, attempt: Attempt): Promise<Order> {
    try {
      return await send(api, attempt.request, attempt.key, true);
    } catch (e) {
      const early = Date.now() - attempt.sentAt;
      if (!(e instanceof ApiError && e.code === "attempt_not_made") || early >= STILL_RUNNING_MS) throw e;
      await pause(STILL_RUNNING_MS - early);
      return send(api, attempt.request, attempt.key, true);
    }
  }
}
