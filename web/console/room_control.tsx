/**
 * A stay's room on its order page: the rooms it has had (from which night), and a form to
 * give it a room or move the guest, from a night on, to a free room of its type or of another
 * type (`POST /v1/orders/{id}/room`). The rooms offered are those free on every night left
 * (`GET /v1/resources/{id}/rooms?nights=`), and of another type only while it has a unit for
 * sale on each of them (`for_sale`); the API refuses a room taken meanwhile anyway.
 * A move to another type is priced again: the form asks the API for the quote first
 * (`"quote": true`), shows the new total and deposit against the old, and moves only when the
 * desk says so (with the quoted version: an order changed meanwhile is refused, not repriced),
 * at the quoted total (`expected_total`: a price changed meanwhile is asked again).
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { addDays, todayIn } from "../shared/format";
import { ApiError, type Order, type Resource } from "./api";
import { useDesk } from "./app";
import { focusIfLost, useQuestionFocus } from "./focus";
import { Problem, useAction } from "./lines";
import { PriceQuestion } from "./price_question";

type Line = Order["lines"][number];
type MoveBody = { line: number; room: string; from: string; resource_id?: string };

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00Z`) - Date.parse(`${a}T00:00Z`)) / 86_400_000);
}

export function RoomControl(props: { order: Order; index: number; line: Line; onDone: () => void }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const { order, index, line } = props;
  const checkOut = line.end.slice(0, 10);
  const lastNight = addDays(checkOut, -1); // a move starts on a night of the stay, never its check-out
  const today = todayIn(desk.tenant.timezone);
  const earliest = order.status === "checked_in" && today > line.date ? today : line.date;
  const ownType = line.resources[0]?.resource_id ?? "";
  const [types, setTypes] = useState<Resource[]>([]);
  const [type, setType] = useState(ownType);
  const [from, setFrom] = useState(earliest);
  const [free, setFree] = useState<string[] | null>(null);
  const [soldOut, setSoldOut] = useState(false);
  // `repriced`: asked again because the price changed while the question was open.
  const [quote, setQuote] = useState<{ body: MoveBody; after: Order; repriced?: boolean } | null>(null);
  // Asked again after a refusal: a room taken meanwhile is no longer offered (an outside
  // tester's list kept offering the room the API had just refused as taken).
  const [asked, setAsked] = useState(0);
  const quiet = useRef(false);
  const { busy, error, run } = useAction();
  // The price question, drawn in place of the Move button: the keyboard goes to its "keep"
  // answer, and back to Move when kept (an outside tester's keyboard was left on <body>).
  const { opener, keep, answered } = useQuestionFocus(quote !== null);

  useEffect(() => {
    api
      .resources()
      .then((all) => setTypes(all.filter((r) => r.kind === "nightly" && r.rooms.length)))
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    const nights = daysBetween(from, checkOut);
    if (!type || nights < 1) {
      setSoldOut(false);
      setFree([]);
      return;
    }
    let live = true;
    // Asked again after a refusal: the list stays until the answer (Move stays pressable, and
    // the keyboard on it), else "Loading…".
    if (!quiet.current) setFree(null);
    quiet.current = false;
    api
      .rooms(type, from, nights)
      .then((board) => {
        if (!live) return;
        // A stay moving in from another type needs one of its units, not only a free room: a
        // type sold to stays without a room has free rooms yet refuses the move (409).
        const soldOut = type !== ownType && board.for_sale < 1;
        setSoldOut(soldOut);
        setFree(soldOut ? [] : board.rooms.filter((r) => r.free).map((r) => r.room));
      })
      .catch(() => {
        if (!live) return;
        setSoldOut(false); // not known: the type was not read
        setFree([]);
      });
    return () => {
      live = false;
    };
  }, [type, from, order.version, asked]);
  useEffect(() => setQuote(null), [type, from, order.version]);
  // Refused, the keyboard goes back to the button pressed (useAction), or, when that is gone
  // (the price question's "Move at this price"), to what says why (a review's finding: it
  // fell to <body>).
  const refused = () => {
    quiet.current = true;
    setAsked((n) => n + 1);
    focusIfLost(() => document.getElementById(`${id}-problem`));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const room = String(new FormData(event.currentTarget as HTMLFormElement).get("room") ?? "");
    const body = { line: index, room, from, ...(type !== ownType ? { resource_id: type } : {}) };
    if (type === ownType) {
      if (await run(() => api.moveRoom(order, body))) props.onDone();
      else refused();
      return;
    }
    const quoted: Order[] = [];
    if (!(await run(async () => quoted.push(await api.moveRoom(order, { ...body, quote: true }))))) return refused();
    const [after] = quoted;
    const agreed = { ...body, expected_total: after.totals.total };
    if (after.totals.total !== order.totals.total) setQuote({ body, after });
    else if (await run(() => api.moveRoom(order, agreed))) props.onDone(); // the same price: nothing to ask
    else refused();
  };
  // The move is made at the total the desk said (`expected_total`): a price changed while the
  // question was open is refused (409 `price_changed`, said below) and asked again at the
  // price now, never made at a total the guest was not told.
  const confirm = async () => {
    if (!quote) return;
    let repriced = false;
    const moved = await run(async () => {
      try {
        await api.moveRoom(order, { ...quote.body, expected_total: quote.after.totals.total });
      } catch (e) {
        repriced = e instanceof ApiError && e.code === "price_changed";
        throw e;
      }
    });
    if (repriced) {
      const again: Order[] = [];
      const asked = await run(async () => again.push(await api.moveRoom(order, { ...quote.body, quote: true })));
      if (asked) return setQuote({ body: quote.body, after: again[0], repriced: true });
    }
    answered(); // moved: the order page says so; refused: the refusal has the keyboard
    setQuote(null); // a refused move is not offered again at that price or into that room
    if (moved) props.onDone();
    else refused();
  };
  const id = `room-${index}`;
  const rooms = line.rooms ?? [];
  return (
    <div class="room-control">
      {rooms.length > 0 && (
        <p>
          {rooms.map((r) => `${t("room_n", { room: r.room })} (${fmt.day(r.first_night)})`).join(" → ")}
        </p>
      )}
      {types.length > 0 && (
        <form class="stay" onSubmit={submit} aria-labelledby={id}>
          <strong id={id}>{rooms.length ? t("move_room") : t("assign_room")}</strong>
          {types.length > 1 && (
            <label>
              {t("other_type")}
              <select value={type} onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value)}>
                {types.map((r) => (
                  <option value={r.id} key={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {t("first_night")}
            <input
              type="date"
              value={from}
              min={earliest}
              max={lastNight}
              onChange={(e) => setFrom((e.currentTarget as HTMLInputElement).value)}
              required
            />
          </label>
          <label>
            {t("room")}
            <select name="room" required disabled={!free?.length} onChange={() => setQuote(null)}>
              <option value="">{free === null
                  ? t("loading")
                  : free.length
                    ? t("choose_room")
                    : soldOut
                      ? t("type_sold_out")
                      : t("no_free_rooms")}</option>
              {free?.map((r) => (
                <option value={r} key={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          {quote ? (
            <PriceQuestion
              title={t("move_price_title")}
              said={t("move_price", {
                room: quote.body.room,
                total: fmt.money(quote.after.totals.total),
                was: fmt.money(order.totals.total),
                deposit: fmt.money(quote.after.totals.deposit_due),
              })}
              repriced={quote.repriced ? t("move_price_moved") : null}
              yes={t("move_price_yes")}
              keep={t("move_price_no")}
              busy={busy}
              keepRef={keep}
              onYes={confirm}
              onKeep={() => setQuote(null)}
            />
          ) : (
            <button type="submit" ref={opener} disabled={busy || !free?.length}>
              {rooms.length ? t("move_room") : t("assign_room")}
            </button>
          )}
          <Problem text={error} id={`${id}-problem`} />
        </form>
      )}
    </div>
  );
}
