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
        <TimeField name="check_in_time" value={props.checkIn} onChange={props.onChange} />
        <TimeField name="check_out_time" value={props.checkOut} onChange={props.onChange} />
      </div>
    </fieldset>
  );
}

/** One of the two: a labelled time field that reports its value under its own name. */
function TimeField(props: {
  name: "check_in_time" | "check_out_time";
  value: string;
  onChange: (change: { check_in_time?: string; check_out_time?: string }) => void;
}) {
  return (
    <Labelled label={props.name}>
      {() => (
        <input
          type="time"
          step={60}
          required
          value={props.value}
          onInput={(e) => props.onChange({ [props.name]: (e.currentTarget as HTMLInputElement).value })}
        />
      )}
    </Labelled>
  );
}
