/**
 * A hotel's check-in and check-out times on the Business page: two time fields ("HH:MM" on
 * the business's clock; a browser's own time input, typed or stepped with the arrow keys),
 * sent as `business.check_in_time` / `check_out_time`. No rule ties the two: check-out is on
 * the departure day, so 23:00 out after 08:00 in is allowed.
 */

import { useDesk } from "./app";
import { Labelled } from "./settings_form";

export function StayTimesFields(props: {
  checkIn: string;
  checkOut: string;
  onChange: (change: { check_in_time?: string; check_out_time?: string }) => void;
}) {
  const { t } = useDesk();
  return (
    <fieldset>
      <legend>{t("stay_times_title")}</legend>
      <p class="muted">{t("stay_times_help")}</p>
      <div class="row">
        <Labelled label="check_in_time">
          {() => (
            <input
              type="time"
              step={60}
              required
              value={props.checkIn}
              onInput={(e) => props.onChange({ check_in_time: (e.currentTarget as HTMLInputElement).value })}
            />
          )}
        </Labelled>
        <Labelled label="check_out_time">
          {() => (
            <input
              type="time"
              step={60}
              required
              value={props.checkOut}
              onInput={(e) => props.onChange({ check_out_time: (e.currentTarget as HTMLInputElement).value })}
            />
          )}
        </Labelled>
      </div>
    </fieldset>
  );
}
