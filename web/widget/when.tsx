/**
 * Choosing when, for each kind the engine sells:
 * - nightly: dates and guests, then the room types free for them with each night's price;
 * - timed: the staff member (or anyone), a day, then its free times;
 * - session: a date and the number of people, then the departures of the week from it.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Availability, LineIn, Offering, Option } from "./api";
import type { Choice, Context } from "./app";
import { Alert, Heading, describe } from "./app";
import { addDays, todayIn, wallClock } from "../shared/format";
import { focusFell } from "./focus";
import { chooserWords } from "./i18n";

export interface Params {
  date: string;
  nights: number;
  party: number;
  staff: string | null;
}

export function lineFor(offering: Offering, option: Option, p: Params): LineIn {
  if (offering.kind === "nightly") {
    return { offering_id: offering.id, check_in: option.date, nights: p.nights, party: p.party };
  }
  const line: LineIn = { offering_id: offering.id, start: wallClock(option.start), party: p.party };
  if (p.staff) line.resource_ids = { "0": p.staff };
  return line;
}

/** The window of days to ask about for `p` (the week of departures for a session). */
function daysToAsk(offering: Offering, p: Params): [string, string] {
  if (offering.kind === "session") return [p.date, addDays(p.date, 7)];
  return [p.date, addDays(p.date, 1)];
}

/** The customer's own booking being moved (the manage page): asked with its id and manage
 * token, so its own units count as free for it, as the console's "Change the time" asks. */
export interface Moving {
  order: string;
  token: string;
  /** Whether an option is the booking as it already is: no move, so shown as theirs, not
   * offered (a stay's dates as they are are left out). */
  same: (option: Option, p: Params) => boolean;
}

/** What was found, with the booking's own option (when moving) marked as theirs, and how many
 * places are left when the party asked is more than any time has (a one-off event's 6 seats
 * for a party of 8: "Only 6 places are left"), so another day is not the only advice. */
export interface Found extends Availability {
  own?: string; // the start of the option that is the booking as it is
  fewer?: number;
  /** The first later day with a free time, when the days asked have none (a one-off event
   * weeks ahead looked sold out on today's page: an outside tester's finding). */
  next?: string;
}

export async function ask(
  ctx: Context,
  offering: Offering,
  p: Params,
  from: string,
  to: string,
  moving?: Moving,
): Promise<Found> {
  const found = await ctx.api.availability({
    offering: offering.id,
    from,
    to,
    party: p.party,
    nights: offering.kind === "nightly" ? p.nights : undefined,
    resource: p.staff,
    tz: ctx.fmt.differentZone ? ctx.fmt.visitorZone : null,
    moving: moving ? { order: moving.order, token: moving.token } : null,
  });
  if (!moving) return found;
  const options = found.options.filter((o) => !moving.same(o, p));
  const own = offering.kind === "nightly" ? undefined : found.options.find((o) => moving.same(o, p))?.start;
  return { ...found, options: own ? found.options : options, own };
}

/** How many places the best time in the window has left when none fits the party asked. */
async function placesLeft(ctx: Context, offering: Offering, p: Params, moving?: Moving): Promise<number | undefined> {
  if (offering.kind !== "session" || p.party <= offering.party_min) return undefined;
  const [from, to] = daysToAsk(offering, p);
  const found = await ask(ctx, offering, { ...p, party: offering.party_min }, from, to, moving);
  const most = Math.max(0, ...found.options.map((o) => o.remaining));
  return most > 0 ? most : undefined;
}

/** The first day after `after` with a time free for the party, looking ahead a few windows
 * of the API's longest (62 days: about half a year, as far as sessions sell), or undefined. */
async function nextFree(ctx: Context, offering: Offering, p: Params, after: string, moving?: Moving): Promise<string | undefined> {
  for (let from = after, n = 0; n < 3; n += 1, from = addDays(from, 62)) {
    const found = await ask(ctx, offering, p, from, addDays(from, 62), moving);
    const free = found.options.filter((o) => o.start !== found.own);
    if (free.length) return free.map((o) => o.date).sort()[0];
  }
  return undefined;
}

/** Free options near a taken one: the same kind of choice, closest in time first. */
export async function nearest(ctx: Context, choice: Choice, p: Params, moving?: Moving): Promise<Option[]> {
  const around = choice.offering.kind === "timed" ? 1 : 3;
  const from = addDays(choice.option.date, -around);
  const to = addDays(choice.option.date, around + 1);
  const found = await ask(ctx, choice.offering, p, from, to, moving);
  found.options = found.options.filter((o) => o.start !== found.own);
  const at = new Date(choice.option.start).getTime();
  return found.options
    .filter((o) => o.start !== choice.option.start)
    .sort((a, b) => Math.abs(new Date(a.start).getTime() - at) - Math.abs(new Date(b.start).getTime() - at))
    .slice(0, 4)
    .sort((a, b) => new Date(a.start).getTime() - new Date(b.start).getTime());
}

export function OptionLabel({ ctx, offering, option }: { ctx: Context; offering: Offering; option: Option }) {
  const { fmt, t } = ctx;
  if (offering.kind === "nightly") return <span>{fmt.day(option.date)}</span>;
  return (
    <span>
      {offering.kind === "session" ? `${fmt.day(option.date)} ` : ""}
      {fmt.time(option.start)}
      {option.caller_start ? <small>{t("your_time", { time: fmt.visitorTime(option.start) })}</small> : null}
    </span>
  );
}

export function When(props: {
  ctx: Context;
  offering: Offering;
  offerings: Offering[];
  onBack: (() => void) | null;
  onChoose: (choice: Choice) => void;
  heading?: string;
  /** Where to start: what the customer chose before (back from their details), or the
   * booking being moved. */
  initial?: Partial<Params>;
  /** The customer's own booking being moved: its own units count as free for it. */
  moving?: Moving;
  /** Told the day asked about (the page names the zone's time on that day). */
  onDay?: (day: string) => void;
  /** Counts the times what is shown must be asked again (a move refused because its time was
   * just taken: the times now taken are no longer offered), as the staff console's move reads
   * its free times again. */
  again?: number;
}) {
  const { ctx, offering } = props;
  const { t, fmt } = ctx;
  const today = todayIn(ctx.tenant.timezone);
  const [p, setP] = useState<Params>(() => {
    const start = {
      date: offering.kind === "nightly" ? addDays(today, 1) : today,
      nights: 1,
      party: Math.min(Math.max(offering.party_min, offering.kind === "nightly" ? 2 : 1), offering.party_max),
      staff: null,
      ...props.initial,
    };
    return { ...start, date: start.date < today ? today : start.date };
  });
  const [results, setResults] = useState<{ offering: Offering; found: Found | null }[] | null>(null);
  const [shownFor, setShownFor] = useState<string>(""); // the date the results are for
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The date field emptied: nothing is shown for a day the field does not say (the times of
  // the day before stayed under an empty field), and choosing any day again asks again.
  const [cleared, setCleared] = useState(false);
  // Each choice asks again, the same day chosen again too: a day whose answer failed once
  // stayed on "Loading…" for good when chosen again (an outside tester's finding).
  const [round, setRound] = useState(0);
  const [failed, setFailed] = useState(false); // the service was not reached: offer to ask again
  // "Show availability" pressed: its answer takes the keyboard, which the button, disabled
  // while it asked, dropped to the page.
  const asked = useRef(false);
  const answer = useRef<HTMLDivElement>(null);
  const dateField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!asked.current || busy) return;
    asked.current = false;
    if (answer.current && focusFell(answer.current)) answer.current.focus();
  }, [busy]);
  const nightly = offering.kind === "nightly";
  const rooms = nightly ? props.offerings.filter((o) => o.kind === "nightly") : [offering];

  // Typing a date into the field changes it several times (each year digit makes a valid
  // date): only the answer to the latest question is shown, whatever order answers arrive in.
  const latest = useRef(0);
  const search = async (params: Params) => {
    const mine = ++latest.current;
    // A day typed out of range is said, not met with nothing (the field's `min` only greys
    // the picker's past days; a typed one still arrives).
    const last = addDays(today, 3 * 366);
    if (params.date < today || params.date > last) {
      setResults(null);
      setBusy(false);
      setError(
        params.date < today ? t("date_past", { day: fmt.day(today) }) : t("date_far", { day: fmt.day(last) }),
      );
      return;
    }
    setBusy(true);
    setError(null);
    setFailed(false);
    try {
      const fits = rooms.filter((o) => o.party_min <= params.party && params.party <= o.party_max);
      const [from, to] = daysToAsk(offering, params);
      const found = await Promise.all(
        fits.map(async (o) => {
          const found = await ask(ctx, o, params, from, to, props.moving);
          if (found.options.length === 0) found.fewer = await placesLeft(ctx, o, params, props.moving);
          if (found.options.length === 0 && !found.fewer && !nightly) {
            // Only a hint: a look-ahead that fails (a busy service, a rate limit) leaves the
            // day's own answer, "nothing is free", rather than an error for the day.
            found.next = await nextFree(ctx, o, params, to, props.moving).catch(() => undefined);
          }
          return { offering: o, found };
        }),
      );
      if (mine === latest.current) {
        setResults(found);
        setShownFor(params.date);
      }
    } catch (e) {
      if (mine !== latest.current) return;
      setResults(null);
      setError(describe(t, e));
      setFailed(true);
    } finally {
      if (mine === latest.current) setBusy(false);
    }
  };

  useEffect(() => props.onDay?.(p.date), [p.date]);

  // Times and departures show as soon as the day (or staff, or party) changes; stays wait for
  // the button, since their dates are two fields.
  const shown = useRef(false);
  useEffect(() => {
    if (nightly || cleared) return;
    if (!shown.current) {
      shown.current = true; // the first day's times at once
      void search(p);
      return;
    }
    const timer = setTimeout(() => void search(p), 250); // typing a date settles first
    return () => clearTimeout(timer);
  }, [round, cleared]); // `set` changes the day, stylist or party, and counts a round

  // Asked again by the page (a time just taken): the same choices, their answer as it now is.
  // A stay's results show only once asked, so only results already shown are asked again.
  useEffect(() => {
    if (!props.again || cleared || (nightly && results === null)) return;
    void search(p);
  }, [props.again]);

  // What was found for other choices is never offered for these: a time free for "anyone"
  // must not be booked with the stylist chosen since.
  const set = (change: Partial<Params>) => {
    setP({ ...p, ...change });
    setResults(null);
    setRound((n) => n + 1);
    if (!nightly) setBusy(true);
  };
  const choose = (o: Offering, option: Option) =>
    props.onChoose({ offering: o, option, line: lineFor(o, option, p), params: p });
  const staff = offering.resource_choices.find((c) => c.requirement === 0)?.resources ?? [];
  const partyMax = Math.max(...rooms.map((o) => o.party_max));
  const maxNights = offering.max_nights ?? 30;
  const id = (name: string) => `rsv-${offering.id}-${name}`;

  return (
    <section>
      <Heading>{props.heading ?? (nightly && rooms.length > 1 ? t("your_stay") : offering.name)}</Heading>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          asked.current = true;
          void search(p);
        }}
      >
        <div class="row">
          <div>
            <label for={id("date")}>{nightly ? t("check_in") : t("date")}</label>
            <input
              id={id("date")}
              ref={dateField}
              type="date"
              min={today}
              // Uncontrolled: writing the value back while a person types the date digit by digit
              // would reset the field's segments under their fingers.
              defaultValue={p.date}
              required
              onChange={(e) => {
                const date = (e.currentTarget as HTMLInputElement).value;
                setCleared(!date);
                if (date) {
                  setError(null); // what was said of the field before is no longer so
                  return set({ date });
                }
                latest.current += 1; // an answer still coming is for the day that was there
                setResults(null);
                setBusy(false);
                setError(t("date_missing"));
              }}
            />
          </div>
          {nightly ? (
            <div>
              <label for={id("nights")}>{t("nights")}</label>
              <select
                id={id("nights")}
                value={String(p.nights)}
                onChange={(e) => set({ nights: Number((e.currentTarget as HTMLSelectElement).value) })}
              >
                {Array.from({ length: maxNights }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={String(n)}>
                    {n}
                  </option>
                ))}
              </select>
              {/* No check-in, no check-out: the last day's stayed under an emptied field. */}
              {cleared ? null : (
                <p class="muted">
                  {t("check_out")}
                  {t("colon")}
                  {fmt.day(addDays(p.date, p.nights))}
                </p>
              )}
            </div>
          ) : null}
          {offering.kind !== "timed" || offering.party_max > 1 ? (
            <div>
              <label for={id("party")}>{nightly ? t("guests") : t("people")}</label>
              <select
                id={id("party")}
                value={String(p.party)}
                onChange={(e) => set({ party: Number((e.currentTarget as HTMLSelectElement).value) })}
              >
                {Array.from({ length: partyMax - offering.party_min + 1 }, (_, i) => offering.party_min + i).map(
                  (n) => (
                    <option key={n} value={String(n)}>
                      {n}
                    </option>
                  ),
                )}
              </select>
            </div>
          ) : null}
          {staff.length > 1 ? (
            // Wide enough for "Anyone available" and a full name: beside the date on a
            // phone it was cut to "Anyone avail" (an outside tester); there it goes below.
            <div class="wide">
              <label for={id("staff")}>{t(chooserWords(ctx.tenant.business_type).label)}</label>
              <select
                id={id("staff")}
                value={p.staff ?? ""}
                onChange={(e) => set({ staff: (e.currentTarget as HTMLSelectElement).value || null })}
              >
                <option value="">{t(chooserWords(ctx.tenant.business_type).anyone)}</option>
                {staff.map((s) => (
                  <option key={s.resource_id} value={s.resource_id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
        </div>
        {nightly ? (
          <div class="actions">
            <button type="submit" disabled={busy}>
              {t("search")}
            </button>
          </div>
        ) : null}
      </form>
      <Alert message={error} />
      {failed && error && !busy && !cleared && !nightly ? (
        <div class="actions">
          <button type="button" onClick={() => set({})}>
            {t("try_again")}
          </button>
        </div>
      ) : null}
      <div aria-live="polite" aria-busy={busy} ref={answer} tabIndex={-1}>
        {busy ? <p class="muted">{t("loading")}</p> : null}
        {results && !busy ? (
          <div data-date={shownFor}>
            <Results
              ctx={ctx}
              offering={offering}
              results={results}
              onChoose={choose}
              onFewer={(party) => set({ party })}
              onDay={(date) => {
                // The field is the customer's (uncontrolled): it is told the day, as typing would.
                if (dateField.current) dateField.current.value = date;
                asked.current = true;
                set({ date });
              }}
            />
          </div>
        ) : null}
      </div>
      {props.onBack ? (
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onBack}>
            {t("back")}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function Results(props: {
  ctx: Context;
  offering: Offering;
  results: { offering: Offering; found: Found | null }[];
  onChoose: (o: Offering, option: Option) => void;
  onFewer: (party: number) => void;
  onDay: (date: string) => void;
}) {
  const { ctx, offering, results } = props;
  const { t, fmt } = ctx;
  if (offering.kind === "nightly") {
    const free = results.filter((r) => r.found && r.found.options.length > 0);
    if (free.length === 0) return <p class="notice">{t("no_rooms")}</p>;
    return (
      <div>
        <h3>{t("choose_room")}</h3>
        <ul class="list">
          {free.map(({ offering: o, found }) => {
            const option = found!.options[0]!;
            return (
              <li key={o.id} class="card">
                <strong>{o.name}</strong>
                <table>
                  <tbody>
                    {option.price.items.map((item) => (
                      <tr key={item.label}>
                        <td>{/^\d{4}-\d{2}-\d{2}$/.test(item.label) ? fmt.day(item.label) : item.label}</td>
                        <td class="price">{fmt.money(item.unit_amount * item.quantity)}</td>
                      </tr>
                    ))}
                    <tr class="total">
                      <td>{t("total")}</td>
                      <td class="price">{fmt.money(option.price.total)}</td>
                    </tr>
                  </tbody>
                </table>
                <button
                  type="button"
                  aria-label={t("choose_named", { name: o.name })}
                  onClick={() => props.onChoose(o, option)}
                >
                  {t("choose")}
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    );
  }
  const options = results[0]?.found?.options ?? [];
  const own = results[0]?.found?.own;
  const fewer = results[0]?.found?.fewer;
  if (options.length === 0 && fewer) {
    return (
      <div>
        <p class="notice">{t("places_left", { n: fewer })}</p>
        <button type="button" class="secondary" onClick={() => props.onFewer(fewer)}>
          {t("choose_party", { n: fewer })}
        </button>
      </div>
    );
  }
  const next = results[0]?.found?.next;
  if (options.length === 0 && next) {
    return (
      <div>
        <p class="notice">{t(offering.kind === "session" ? "no_sessions_near" : "no_times")}</p>
        <button type="button" class="secondary" onClick={() => props.onDay(next)}>
          {t("first_free_day", { day: fmt.day(next) })}
        </button>
      </div>
    );
  }
  if (options.length === 0) return <p class="notice">{t("no_times")}</p>;
  if (offering.kind === "session") {
    return (
      <div>
        <h3>{t(ctx.tenant.business_type === "tours" ? "departures" : "sessions")}</h3>
        <ul class="list">
          {options.map((option) => (
            <li key={option.start}>
              <button
                type="button"
                class="choice"
                disabled={option.start === own}
                onClick={() => props.onChoose(offering, option)}
              >
                <OptionLabel ctx={ctx} offering={offering} option={option} />
                <span class="price">
                  {option.start === own ? t("yours") : fmt.money(option.price.total)}
                  <small>{t("seats_left", { n: option.remaining })}</small>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div>
      <h3>{t("free_times")}</h3>
      <ul class="times">
        {options.map((option) => (
          <li key={option.start}>
            <button type="button" disabled={option.start === own} onClick={() => props.onChoose(offering, option)}>
              <OptionLabel ctx={ctx} offering={offering} option={option} />
              <small class="price">{option.start === own ? t("yours") : fmt.money(option.price.total)}</small>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
