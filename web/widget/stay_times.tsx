/**
 * "Check-in from 2:00 PM, check-out by 11:00 AM" under a stay's summary (before the hold and
 * on the booking's own page): the business's times from `GET /v1/public/tenant`
 * (`stay_times`, on its own clock), written as the page's locale writes a time of day.
 */
import { clock } from "./about";
import type { Context } from "./app";

export function StayTimesLine({ ctx }: { ctx: Context }) {
  const times = ctx.tenant.stay_times;
  if (!times) return null;
  return (
    <p class="muted stay-times">
      {ctx.t("stay_times_line", {
        check_in: clock(ctx.locale, times.check_in_time),
        check_out: clock(ctx.locale, times.check_out_time),
      })}
      {/* On the hotel's clock: said to a visitor on another (a stays-only page has no "Times
          are in" line, and an outside tester in Los Angeles could not tell whose 3:00 PM). */}
      {ctx.fmt.differentZone ? ctx.fmt.aside(ctx.fmt.zoneName(ctx.fmt.zone, undefined, true)) : ""}
    </p>
  );
}
