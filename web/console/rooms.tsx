/**
 * The rooms of each room type that lists them, on a night (`GET /v1/resources/{id}/rooms`):
 * housekeeping (any staff member sets it), who sleeps in the room, who leaves it today, rooms
 * out of order (a manager puts a room out of order for some nights, or back), and the stays
 * that still have no room, each a link to its order, where the room is assigned; a room held
 * by a guest who left early (or never came) says so ("Left early: …"), never "Free", and such
 * stays are listed under "Nights held, guest not here".
 */

import { useEffect, useState } from "preact/hooks";
import { todayIn } from "../shared/format";
import { type BoardRoom, type Housekeeping, MAY, type RoomBoard } from "./api";
import { message, useDesk } from "./app";
import type { Key } from "./i18n";
import { DayBar, Problem, Status, useAction } from "./lines";

const STATUSES: Housekeeping[] = ["dirty", "clean", "inspected"];

export function Rooms({ date }: { date: string }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : todayIn(desk.tenant.timezone);
  const [boards, setBoards] = useState<RoomBoard[] | null>(null);
  const [error, setError] = useState("");
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    setError("");
    api
      .resources()
      .then((all) => Promise.all(all.filter((r) => r.rooms.length).map((r) => api.rooms(r.id, day))))
      .then((all) => live && setBoards(all))
      .catch((e) => live && setError(message(t, e)));
    return () => {
      live = false;
    };
  }, [day, round]);

  const refresh = () => setRound((n) => n + 1);
  return (
    <section aria-labelledby="rooms-title">
      <DayBar day={day} page="#/rooms" title={`${t("nav_rooms")} · ${fmt.day(day)}`} id="rooms-title" />
      <Problem text={error} />
      {boards === null && !error && <p role="status">{t("loading")}</p>}
      {boards?.length === 0 && <p class="muted">{t("no_room_types")}</p>}
      {boards?.map((board) => <Board board={board} key={board.resource_id} onChanged={refresh} />)}
    </section>
  );
}

function Board({ board, onChanged }: { board: RoomBoard; onChanged: () => void }) {
  const { t } = useDesk();
  const id = `board-${board.resource_id}`;
  const held = board.held ?? [];
  // Stays gone (left early, no-show) that hold a room of the type without one assigned: a
  // room with no guest is then not surely for sale, so it is not called free. Nor is one when
  // the stays of the type tonight still without a room (arriving or in house) need every room
  // left (an outside tester's sold-out suites, both guests without a room, read "Free" twice).
  const heldRoomless = held.some((s) => !board.rooms.some((r) => r.held?.order_id === s.order_id && r.held.line === s.line));
  const empty = board.rooms.filter((r) => r.free && !r.occupant && !r.held).length;
  const roomless = heldRoomless || board.unassigned.length >= empty;
  return (
    <article class="sheet" aria-labelledby={id}>
      <h2 id={id}>{board.resource_name}</h2>
      <table class="rooms">
        <thead>
          <tr>
            <th scope="col">{t("room")}</th>
            <th scope="col">{t("housekeeping")}</th>
            <th scope="col">{t("occupant")}</th>
            <th scope="col">{t("departing")}</th>
            <th scope="col">{t("out_of_order")}</th>
          </tr>
        </thead>
        <tbody>
          {board.rooms.map((room) => (
            <RoomRow key={room.room} board={board} room={room} onChanged={onChanged} roomless={roomless} />
          ))}
        </tbody>
      </table>
      <h3>
        {t("unassigned")} <span class="count">{board.unassigned.length}</span>
      </h3>
      {board.unassigned.length ? (
        <ul class="lines">
          {board.unassigned.map((stay) => (
            <li key={`${stay.order_id}-${stay.line}`}>
              <a href={`#/order/${encodeURIComponent(stay.order_id)}`} class="who">
                {stay.guest}
              </a>
              <span class="what">{stay.nights === 1 ? t("night_1") : t("nights_n", { n: stay.nights })}</span>
              <Status status={stay.status} />
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t("nothing")}</p>
      )}
      {held.length > 0 && (
        <>
          <h3>
            {t("held_title")} <span class="count">{held.length}</span>
          </h3>
          <p class="muted">{t("held_note")}</p>
          <ul class="lines held">
            {held.map((stay) => (
              <li key={`${stay.order_id}-${stay.line}`}>
                <a href={`#/order/${encodeURIComponent(stay.order_id)}`} class="who">
                  {t(stay.status === "no_show" ? "held_no_show" : "left_early", { guest: stay.guest })}
                </a>
                <span class="what">{stay.nights === 1 ? t("night_1") : t("nights_n", { n: stay.nights })}</span>
                <Status status={stay.status} />
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function RoomRow({ board, room, onChanged, roomless }: { board: RoomBoard; room: BoardRoom; onChanged: () => void; roomless: boolean }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const { busy, error, run } = useAction();
  const base = `/v1/resources/${encodeURIComponent(board.resource_id)}`;
  const status = room.housekeeping?.status;
  const setStatus = async (next: string) => {
    const path = `${base}/rooms/${encodeURIComponent(room.room)}/housekeeping`;
    if (await run(() => api.put(path, { status: next }))) onChanged();
  };
  const backInOrder = async () => {
    const out = room.out_of_order;
    if (!out) return;
    const path = `${base}/outages/${encodeURIComponent(out.room)}/${out.from}`;
    if (await run(() => api.delete(path, board.rev))) onChanged();
  };
  const stay = (s: BoardRoom["occupant"]) =>
    s ? (
      <a href={`#/order/${encodeURIComponent(s.order_id)}`}>{s.guest}</a>
    ) : (
      <span class="muted">{room.free ? t(roomless ? "room_unassigned" : "free_room") : "–"}</span>
    );
  // A guest gone (left early) or never come still holds the room tonight: held, not free.
  const held = room.held;
  const occupant = held ? (
    <span class="held">
      <a href={`#/order/${encodeURIComponent(held.order_id)}`}>
        {t(held.status === "no_show" ? "held_no_show" : "left_early", { guest: held.guest })}
      </a>
    </span>
  ) : (
    stay(room.occupant)
  );
  return (
    <tr class={room.out_of_order ? "ooo" : undefined}>
      <th scope="row">{room.room}</th>
      <td>
        {MAY.operate(desk.me.role) ? (
          <label>
            <span class="sr-only">{t("room_n", { room: room.room })}</span>
            <select value={status ?? ""} disabled={busy} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value)}>
              {!status && <option value="">{t("hk_none")}</option>}
              {STATUSES.map((s) => (
                <option value={s} key={s}>
                  {t(`hk_${s}` as Key)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span class={`badge hk-${status ?? "none"}`}>{t(`hk_${status ?? "none"}` as Key)}</span>
        )}
      </td>
      <td>{occupant}</td>
      <td>{room.departing ? stay(room.departing) : <span class="muted">–</span>}</td>
      <td>
        {room.out_of_order ? (
          <>
            <span class="badge ooo">
              {t("out_until", { date: fmt.day(room.out_of_order.to), reason: room.out_of_order.reason || "–" })}
            </span>
            {MAY.manage(desk.me.role) && (
              <button type="button" disabled={busy} onClick={backInOrder}>
                {t("back_in_order")}
              </button>
            )}
          </>
        ) : (
          MAY.manage(desk.me.role) && <PutOut board={board} room={room.room} onDone={onChanged} />
        )}
        <Problem text={error} />
      </td>
    </tr>
  );
}

function PutOut({ board, room, onDone }: { board: RoomBoard; room: string; onDone: () => void }) {
  const { t, api } = useDesk();
  const [open, setOpen] = useState(false);
  const { busy, error, run } = useAction();
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t("put_out")}
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body = { room, from: form.get("from"), to: form.get("to"), reason: String(form.get("reason") ?? "").trim() };
    const path = `/v1/resources/${encodeURIComponent(board.resource_id)}/outages`;
    if (await run(() => api.post(path, body, board.rev))) {
      setOpen(false);
      onDone();
    }
  };
  return (
    <form class="outage" onSubmit={submit}>
      <label>
        {t("first_night")}
        <input type="date" name="from" defaultValue={board.date} required autofocus />
      </label>
      <label>
        {t("last_night")}
        <input type="date" name="to" defaultValue={board.date} required />
      </label>
      <label>
        {t("reason")}
        <input name="reason" maxLength={200} />
      </label>
      <button type="submit" disabled={busy}>
        {t("put_out")}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t("keep")}
      </button>
      <Problem text={error} />
    </form>
  );
}
