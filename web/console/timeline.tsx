/**
 * The day on a timeline (`#/timeline?date=`): a row per stylist, table, guide, van or
 * departure (the timed and session resources), hours across, each booking drawn where it
 * sits, the closed hours shaded, and a line at the present moment on today. Drawn from the
 * same sheets as Today (`GET /v1/resources/{id}/day`, which gives a timed resource's hours
 * that day and a session's end); room types have the Rooms page instead.
 *
 * Every booking is a link to its order (a departure: to its manifest) named in words (time,
 * guest, what, status), and each row says its working hours in words, so the picture is also
 * a list a keyboard and a screen reader can walk.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { hourDigits, todayIn } from "../shared/format";
import type { DayLine, DaySheet } from "./api";
import { useDesk } from "./app";
import type { Key } from "./i18n";
import { DayBar, party, Problem, useLoaded } from "./lines";
import {
  assign,
  businessOpening,
  closedParts,
  hoursRange,
  openedAt,
  openSpans,
  outside,
  place,
  type Span,
  spanOf,
} from "./timeline_layout";

interface Block {
  span: Span;
  label: string;
  detail: string;
  href: string;
  unseen: string; // said, not shown: a booking's status, a departure's resource
  look: string; // its status's class (a booking) or how full it is (a departure)
}

export function Timeline({ date }: { date: string }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : todayIn(desk.tenant.timezone);
  const { data: sheets, error } = useLoaded(
    () => api.resources().then((all) => Promise.all(all.filter((r) => r.kind !== "nightly" && r.active).map((r) => api.day(r.id, day)))),
    [day],
  );

  const rows = (sheets ?? []).map((sheet) => ({ sheet, blocks: blocksOf(sheet, day, desk) }));
  const open = rows.flatMap(({ sheet }) => openSpans(sheet));
  const range = hoursRange([...open, ...rows.flatMap((r) => r.blocks.map((b) => b.span))]);
  const hours = Array.from({ length: (range.to - range.from) / 60 }, (_, n) => range.from + n * 60);
  const now = day === todayIn(desk.tenant.timezone) ? nowMinute(desk.tenant.timezone) : null;
  const booked = rows.flatMap((r) => r.blocks.map((b) => b.span));
  const start = openedAt(now, businessOpening(desk.tenant.opening_hours, day), open, booked);
  const { scroller, hidden, onScroll } = useOpenedView(range, start, booked, sheets);

  return (
    <section aria-labelledby="timeline-title">
      <DayBar day={day} page="#/timeline" title={t("timeline_of", { day: fmt.day(day) })} id="timeline-title" />
      <Problem text={error} />
      {sheets === null && !error && <p role="status">{t("loading")}</p>}
      {sheets && rows.length === 0 && <p class="muted">{t("timeline_none")}</p>}
      {hidden.before > 0 && <p class="muted" role="note">{t("tl_before", { n: hidden.before })}</p>}
      {hidden.after > 0 && <p class="muted" role="note">{t("tl_after", { n: hidden.after })}</p>}
      {rows.length > 0 && (
        <div class="timeline-scroll" ref={scroller} onScroll={onScroll}>
          <div class="timeline" style={{ "--hours": hours.length }}>
            <div class="tl-head" aria-hidden="true">
              <span class="tl-name" />
              <div class="tl-track">
                {hours.map((h) => (
                  <span class="tl-hour" key={h} style={place({ from: h, to: h + 60 }, range)}>
                    {hourLabel(fmt.locale, h)}
                  </span>
                ))}
              </div>
            </div>
            {rows.map(({ sheet, blocks }) => (
              <Row key={sheet.resource_id} sheet={sheet} blocks={blocks} range={range} now={now} />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

const NAME_COLUMN = 160; // px: the sticky names beside the tracks (console.css)

/** The view opened at `start` (scrolled there once the sheets are in) and how many bookings
 * lie out of sight before and after it, said above the picture and kept as staff scroll. */
function useOpenedView(range: Span, start: number | null, booked: Span[], loaded: unknown) {
  const scroller = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState({ before: 0, after: 0 });
  const length = range.to - range.from;
  const measure = () => {
    const el = scroller.current;
    if (!el) return;
    const track = Math.max(1, el.scrollWidth - NAME_COLUMN);
    const minute = (x: number) => range.from + (x / track) * length;
    const view = { from: minute(el.scrollLeft), to: minute(el.scrollLeft + el.clientWidth - NAME_COLUMN) };
    const now = outside(booked, view);
    if (now.before !== hidden.before || now.after !== hidden.after) setHidden(now);
  };
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const track = Math.max(1, el.scrollWidth - NAME_COLUMN);
    el.scrollLeft = start === null ? 0 : ((start - range.from) / length) * track;
    measure();
  }, [loaded, range.from, range.to, start]);
  return { scroller, hidden, onScroll: measure };
}

function Row({ sheet, blocks, range, now }: { sheet: DaySheet; blocks: Block[]; range: Span; now: number | null }) {
  const { t, fmt } = useDesk();
  const { lanes, count } = assign(blocks.map((b) => b.span));
  const open = openSpans(sheet);
  const closed = sheet.kind === "timed" ? closedParts(range, open) : [];
  const id = `tl-${sheet.resource_id}`;
  const clock = (minute: number) => hourLabel(fmt.locale, minute);
  return (
    <div class="tl-row">
      <div class="tl-name">
        <h2 id={id}>
          {sheet.resource_name}
          <span class="count">
            {blocks.length}
            <span class="sr-only"> {t(countWord(sheet.kind === "session", blocks.length))}</span>
          </span>
        </h2>
        {sheet.kind === "timed" && (
          <span class="tl-open">
            {open.length ? open.map((span) => `${clock(span.from)}–${clock(span.to)}`).join(", ") : t("closed")}
          </span>
        )}
      </div>
      <div class="tl-track" style={{ height: `${Math.max(1, count) * 44 + 8}px` }}>
        {closed.map((span) => (
          <span class="tl-closed" key={span.from} style={place(span, range)} title={t("closed")} />
        ))}
        {now !== null && now >= range.from && now <= range.to && (
          <span class="tl-now" style={{ left: place({ from: now, to: now }, range).left }} title={t("now")} />
        )}
        <ul class="tl-blocks" aria-labelledby={id}>
          {blocks.map((b, i) => {
            const style = { ...place(b.span, range), top: `${lanes[i]! * 44 + 4}px` };
            return (
              <li key={`${b.href}-${b.span.from}-${i}`} class={`tl-block ${b.look}`} style={style}>
                <a href={b.href} title={`${b.label} · ${b.detail}${b.unseen}`}>
                  <strong>{b.label}</strong>
                  <span>{b.detail}</span>
                  <span class="sr-only">{b.unseen}</span>
                </a>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}

/** A timed resource's appointments, or a session resource's departures with their seats. */
function blocksOf(sheet: DaySheet, day: string, desk: ReturnType<typeof useDesk>): Block[] {
  const { t, fmt } = desk;
  const times = (s: { start: string; end: string }) => `${fmt.time(s.start)}–${fmt.time(s.end)}`;
  if (sheet.kind === "session") {
    // A departure is named by its time first, then its seats and its resource, as its text
    // reads (its name began with the seats, its resource after a bare comma).
    return sheet.sessions.map((s) => {
      const label = times(s);
      const detail = t("booked_of", { booked: s.booked, capacity: s.capacity });
      return {
        span: spanOf(s.start, s.end, day),
        label,
        detail,
        href: `#/print?resource=${encodeURIComponent(sheet.resource_id)}&date=${day}`, // its manifest
        unseen: ` · ${sheet.resource_name}`,
        look: s.booked >= s.capacity ? "full" : s.booked > 0 ? "some" : "empty",
      };
    });
  }
  return sheet.appointments.map((line: DayLine) => {
    const label = line.customer.name;
    const detail = fmt.time(line.start); // the end is said, and in the title: blocks are narrow
    return {
      span: spanOf(line.start, line.end, day),
      label,
      detail,
      href: `#/order/${encodeURIComponent(line.order_id)}`,
      unseen: ` ${t("until", { time: fmt.time(line.end) })}, ${line.offering_name}, ${party(t, line.party)}, ${t(`st_${line.status}` as Key)}`,
      look: `st-${line.status}`,
    };
  });
}

/** A row's count says what it counts: a departure row's departures (whose seats each says),
 * not "bookings" beside "0 of 6 booked"; one or more, as the language says it. */
function countWord(sessions: boolean, n: number): Key {
  if (sessions) return n === 1 ? "tl_departure_1" : "tl_departures";
  return n === 1 ? "tl_booking_1" : "tl_bookings";
}

function hourLabel(locale: string, minute: number): string {
  return new Intl.DateTimeFormat(locale, { hour: hourDigits(locale), minute: "2-digit", timeZone: "UTC" }).format(
    new Date(Date.UTC(2000, 0, 1, 0, minute)),
  );
}

/** Minutes after local midnight now, in the business's zone. */
function nowMinute(zone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(
    new Date(),
  );
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 60 + get("minute");
}
