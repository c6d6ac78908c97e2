/**
 * The customer's loyalty points on the manage page: shown when the page was opened from the
 * link in an e-mail about the booking, which carries the e-mail proof (a hold's own answer
 * carries only the manage token, and anyone may make a hold under any address). Without it,
 * where the business has a programme, the page says where to find them. With them, "Book with
 * my points" starts a new booking that may spend them (details.tsx): the page said what they
 * were worth off a booking, which the widget had no way to take.
 */
import { useEffect, useState } from "preact/hooks";
import type { Points } from "./api";
import { ApiError } from "./api";
import type { Context } from "./app";

type Shown = Points | "need_link" | null;

export function LoyaltyPoints(props: {
  ctx: Context;
  orderId: string;
  token: string;
  proof: string;
  onSpend?: (points: Points) => void;
}) {
  const { ctx, orderId, token, proof } = props;
  const [points, setPoints] = useState<Shown>(null);
  useEffect(() => {
    let live = true;
    ctx.api
      .points(orderId, token, proof)
      .then((p) => live && setPoints(p))
      .catch((e: unknown) => {
        if (!live) return;
        // The page works without them; it says why only when the e-mail's link would show them.
        setPoints(e instanceof ApiError && e.code === "email_link_required" ? "need_link" : null);
      });
    return () => {
      live = false;
    };
  }, [orderId, proof]);
  if (points === "need_link") return <p class="points muted">{ctx.t("points_need_link")}</p>;
  if (!points || !points.enabled || points.points <= 0) return null;
  const value = ctx.fmt.money(points.value);
  const shown = points;
  return (
    <>
      <p class="points">{ctx.t("points_balance", { points: points.points, value })}</p>
      {props.onSpend ? (
        <div class="actions">
          <button type="button" class="secondary" onClick={() => props.onSpend?.(shown)}>
            {ctx.t("points_book")}
          </button>
        </div>
      ) : null}
    </>
  );
}
