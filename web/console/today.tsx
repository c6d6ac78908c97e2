/**
 * Today at the desk: for a date (today in the business's zone unless another is chosen), each
 * resource's sheet from `GET /v1/resources/{id}/day`: a room type's arrivals, departures and
 * staying guests (under the business's check-in and check-out times; an arrival checked in is
 * staying), a stylist's appointments, a departure's sessions with their passengers.
 * Each line links to its order and offers the next step its status allows. A business that
 * sells nothing yet is told where to start (start_here.tsx). A date the business closed says
 * so at the top: an outside tester's owner closed a day with three appointments on it, and
 * this page showed them as on any other day.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { todayIn } from "../shared/format";
import { clock } from "../widget/about";
import { type DayLine, type DaySheet, MAY } from "./api";
import { CancelSession } from "./bulk";
import { message, useDesk } from "./app";
import { focusIfLost, focusSoon } from "./focus";
import type { Key } from "./i18n";
import { useLatestAlert } from "./latest_alert";
import { StartHere } from "./start_here";
import { Actions, DayBar, type Labels, Payment, People, Problem, party, questionLabels, Status } from "./lines";

export function Today({ date }: { date: string }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : todayIn(desk.tenant.timezone);
  const [sheets, setSheets] = useState<DaySheet[] | null>(null);
  // Which sheets are folded is decided on the day's first read only, and a sheet leaves the
  // fold when something comes on: one that empties after a step (the guest cancelled
  // meanwhile) stays where it is, with what it says and the keyboard on it (a reviewer's: it
  // moved into the fold and was drawn anew, its sentence lost and the focus on <body>).
  const foldOf = useRef<{ day: string; ids: Set<string> } | null>(null);
  const sheetsDay = sheets?.[0]?.date ?? ""; // the day the sheets shown are of (read anew)
  if (sheets && foldOf.current?.day !== sheetsDay) {
    foldOf.current = { day: sheetsDay, ids: new Set(folds(sheets) ? sheets.filter(idle).map((x) => x.resource_id) : []) };
  }
  const inFold = (sheets ?? []).filter((x) => foldOf.current?.ids.has(x.resource_id) && idle(x));
  const folded = new Set(inFold.map((x) => x.resource_id));
  const [labels, setLabels] = useState<Labels>({});
  const [offerings, setOfferings] = useState<number | null>(null); // null: not known (yet)
  const [error, setError] = useState("");
  const [closed, setClosed] = useState(false);
  const [round, setRound] = useState(0);
  // The order a step was just taken on (Check in, Check out, Confirm): its line, read again,
  // takes the keyboard, since the step's button is gone (and the line may have moved: an
  // arrival checked in is listed as staying).
  const [stepped, setStepped] = useState("");

  useEffect(() => {
    let live = true;
    setError("");
    api
      .resources()
      .then((resources) => Promise.all(resources.map((r) => api.day(r.id, day))))
      .then((all) => live && setSheets(all))
      .catch((e) => live && setError(message(t, e)));

    return () => {
      live = false;
    };
  }, [day, round]);

  // The closed dates as they are now (the desk's copy is from sign-in: a date closed since
  // in Settings would not show). Not known, nothing is said.
  useEffect(() => {
    let live = true;
    setClosed(false);
    api
      .tenant()
      .then((now) => live && setClosed(now.opening_hours?.closed_dates.includes(day) ?? false))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [day]);

  // The questions' labels change with the catalog, not with the day: read once.
  useEffect(() => {
    api
      .offerings()
      .then((all) => (setLabels(questionLabels(all, t.lang)), setOfferings(all.length)))
      .catch(() => undefined); // answers then show under their ids
  }, [t.lang]);

  const refresh = (orderId = "") => {
    setStepped(orderId);
    setRound((n) => n + 1);
  };
  // Only when the keyboard was left on <body>: a line that says something of its own (a balance
  // check-out was refused for) has put it on its link by then, and keeps it (CI saw the line
  // take it back from the link when the re-read came in last).
  useEffect(() => {
    if (!stepped || sheets === null) return;
    focusIfLost(() => document.querySelector(`li[data-order="${CSS.escape(stepped)}"]`));
    setStepped("");
  }, [sheets]);
  return (
    <section aria-labelledby="today-title">
      <DayBar day={day} page="#/today" title={fmt.day(day)} id="today-title" />
      {closed && (
        <p class="closed-note" role="note">
          <strong>{t("closed_day_title")}</strong>
          {t.lang === "zh-Hans" ? "" : " "}
          {t("closed_day_note", { date: fmt.day(day) })}
        </p>
      )}
      <Problem text={error} />
      {sheets === null && !error && <p role="status">{t("loading")}</p>}
      {/* Nothing sold yet (a new business): where to start, rather than a blank day. */}
      {sheets !== null && (sheets.length === 0 || offerings === 0) && <StartHere resources={sheets.length} />}
      <div class="sheets">
        {sheets?.filter((sheet) => !folded.has(sheet.resource_id)).map((sheet) => (
          // Keyed by its date too: what a sheet said of one day is not said over another.
          <Sheet sheet={sheet} key={`${sheet.resource_id} ${sheet.date}`} onChanged={refresh} labels={labels} />
        ))}
      </div>
      {/* A busy business's resources with nothing on today (a spa's hundred therapists) are one
          line, opened on demand, not a hundred "Nothing." cards on screen and on paper (a
          tester's day list ran to 9,000 px). */}
      {sheets && folded.size > 0 && (
        <details class="idle-sheets">
          <summary>
            {t("idle_sheets", { n: inFold.length, names: inFold.map((x) => x.resource_name).join(", ") })}
          </summary>
          <div class="sheets">
            {inFold.map((sheet) => (
              <Sheet sheet={sheet} key={`${sheet.resource_id} ${sheet.date}`} onChanged={refresh} labels={labels} />
            ))}
          </div>
        </details>
      )}
    </section>
  );
}

/** Nothing on this resource today: no guest, appointment or session at all. */
const idle = (sheet: DaySheet) =>
  !sheet.arrivals.length &&
  !sheet.departures.length &&
  !sheet.in_house.length &&
  !sheet.appointments.length &&
  !sheet.sessions.length;

/** Idle sheets are folded when there are enough of them to bury the day's list. */
const IDLE_FOLD = 6;
const folds = (sheets: DaySheet[]) => sheets.filter(idle).length >= IDLE_FOLD;

export function Sheet({ sheet, onChanged, labels }: { sheet: DaySheet; onChanged: (orderId?: string) => void; labels: Labels }) {
  const desk = useDesk();
  const { t, fmt } = desk;
  const [called, setCalled] = useState<string[]>([]); // sessions called off from this sheet
  const id = `sheet-${sheet.resource_id}`;
  // A step refused because the order changed meanwhile (the guest cancelled online): said here,
  // above the sheet read again, where the line may no longer be (today_stale.ts).
  const [said, setSaid] = useState("");
  const shown = useLatestAlert(said);
  const stale = (sentence: string) => {
    setSaid(sentence);
    // The step's button was disabled while it ran (and its line may be gone): the keyboard
    // goes to the sentence, unless the user moved it meanwhile.
    focusSoon(() => (document.activeElement === document.body ? document.getElementById(`${id}-said`) : null));
  };
  // An arrival checked in sleeps here tonight: it is listed as staying, no longer as arriving.
  const arrived = (line: DayLine) => line.status === "checked_in";
  const arriving = sheet.arrivals.filter((line) => !arrived(line));
  const staying = [...sheet.arrivals.filter(arrived), ...sheet.in_house];
  // The business's check-in and check-out times (its own clock), under arrivals and departures.
  const times = desk.tenant.stay_times;
  const stayTime = (key: Key, hhmm?: string) => (hhmm ? t(key, { time: clock(fmt.locale, hhmm) }) : "");
  const part = (title: Key, lines: DayLine[], note = "") => (
    <div class="part">
      <h3>
        {t(title)} <span class="count">{lines.length}</span>
      </h3>
      {note && <p class="muted stay-time">{note}</p>}
      <Lines lines={lines} onChanged={onChanged} onStale={stale} labels={labels} />
    </div>
  );
  return (
    <article class="sheet" aria-labelledby={id}>
      <h2 id={id}>{sheet.resource_name}</h2>
      {shown && (
        <p class="notice" role="alert" id={`${id}-said`} tabIndex={-1}>
          {said}
        </p>
      )}
      {sheet.kind === "nightly" && (
        <>
          {part("arrivals", arriving, stayTime("sheet_check_in", times?.check_in_time))}
          {part("departures", sheet.departures, stayTime("sheet_check_out", times?.check_out_time))}
          {part("in_house", staying)}
        </>
      )}
      {sheet.kind === "timed" && part(desk.tenant.business_type === "restaurant" ? "reservations" : "appointments", sheet.appointments)}
      {sheet.kind === "session" &&
        sheet.sessions.map((s) => (
          <div class="part" key={s.start_utc}>
            <h3>
              {fmt.time(s.start)} <span class="count">{t("booked_of", { booked: s.booked, capacity: s.capacity })}</span>
              {/* Called off says so (the day sheet's JSON and PDF do): "not on sale" read as a session
                  still running with its sales stopped (a tours tester's). */}
              {!s.on_sale && <span class="badge off-sale">{t(s.called_off ? "session_called_off_badge" : "session_off_sale")}</span>}
            </h3>
            <Lines lines={s.lines} onChanged={onChanged} onStale={stale} labels={labels} />
            {(s.booked > 0 || called.includes(s.start_utc)) && MAY.manage(desk.me.role) && (
              <CancelSession
                resourceId={sheet.resource_id}
                start={s.start}
                onDone={() => {
                  setCalled((before) => [...before, s.start_utc]); // its outcome stays in view
                  onChanged();
                }}
              />
            )}
          </div>
        ))}
      <p class="print-link">
        <a href={`#/print?resource=${encodeURIComponent(sheet.resource_id)}&date=${sheet.date}`}>{t("print")}</a>
      </p>
    </article>
  );
}

/** A stay holding no room: an overbooking conflict (a channel's guest with no room yet). */
const unplaced = (line: DayLine) => line.nights > 0 && line.units === 0;

function Lines(props: { lines: DayLine[]; onChanged: (orderId?: string) => void; onStale: (said: string) => void; labels: Labels }) {
  const { lines, onChanged, onStale, labels } = props;
  const { t, fmt } = useDesk();
  if (!lines.length) return <p class="muted">{t("nothing")}</p>;
  return (
    <ul class="lines">
      {lines.map((line) => (
        <li key={`${line.order_id}-${line.start_utc}`} data-order={line.order_id}>
          <span class="when">
            {line.nights
              ? line.nights === 1
                ? t("night_1")
                : t("nights_n", { n: line.nights })
              : `${fmt.time(line.start)}–${fmt.time(line.end)}`}
          </span>
          <a href={`#/order/${encodeURIComponent(line.order_id)}`} class="who">
            {line.customer.name}
          </a>
          <span class="what">
            {line.offering_name} · {party(t, line.party)}
            {line.nights && line.units > 1 ? ` · ${t("rooms_n", { n: line.units })}` : ""}
            {line.room ? ` · ${t("room_n", { room: line.room })}` : ""}
          </span>
          <Status status={line.status} />
          <Payment status={line.payment_status} />
          {/* A partner's overbooking holds no room: said where it shows, and no Check in (it was
              offered, then refused when pressed: a tester's). */}
          {unplaced(line) && <span class="badge ooo">{t("channel_order_overbooked")}</span>}
          <Actions
            orderId={line.order_id}
            status={line.status}
            role={line.role}
            unplaced={unplaced(line)}
            onDone={() => onChanged(line.order_id)}
            starts={line.start_utc}
            guest={line.customer.name}
            offeringIds={[line.offering_id]}
            stayDay={line.nights ? line.start.slice(0, 10) : undefined}
            onStale={onStale}
          />
          {line.note && <span class="note">{line.note}</span>}
          {line.answers && <People answers={line.answers} labels={labels[line.offering_id] ?? {}} />}
        </li>
      ))}
    </ul>
  );
}
