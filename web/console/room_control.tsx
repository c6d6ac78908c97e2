/**
 * A stay's room on its order page: the rooms it has had (from which night), and a form to
 * give it a room or move the guest, from a night on, to a free room of its type or of another
 * type (`POST /v1/orders/{id}/room`). The rooms offered are those free on every night left
 * (`GET /v1/resources/{id}/rooms?nights=`); the API refuses a room taken meanwhile anyway.
 */

import { useEffect, useState } from "preact/hooks";
import { todayIn } from "../shared/format";
import type { Order, Resource } from "./api";
import { useDesk } from "./app";
import { Problem, useAction } from "./lines";

type Line = Order["lines"][number];

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00Z`) - Date.parse(`${a}T00:00Z`)) / 86_400_000);
}

export function RoomControl(props: { order: Order; index: number; line: Line; onDone: () => void }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const { order, index, line } = props;
  const checkOut = line.end.slice(0, 10);
  const today = todayIn(desk.tenant.timezone);
  const earliest = order.status === "checked_in" && today > line.date ? today : line.date;
  const ownType = line.resources[0]?.resource_id ?? "";
  const [types, setTypes] = useState<Resource[]>([]);
  const [type, setType] = useState(ownType);
  const [from, setFrom] = useState(earliest);
  const [free, setFree] = useState<string[] | null>(null);
  const { busy, error, run } = useAction();

  useEffect(() => {
    api
      .resources()
      .then((all) => setTypes(all.filter((r) => r.kind === "nightly" && r.rooms.length)))
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    const nights = daysBetween(from, checkOut);
    if (!type || nights < 1) {
      setFree([]);
      return;
    }
    let live = true;
    setFree(null);
    api
      .rooms(type, from, nights)
      .then((board) => live && setFree(board.rooms.filter((r) => r.free).map((r) => r.room)))
      .catch(() => live && setFree([]));
    return () => {
      live = false;
    };
  }, [type, from, order.version]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const room = String(new FormData(event.currentTarget as HTMLFormElement).get("room") ?? "");
    const body = { line: index, room, from, ...(type !== ownType ? { resource_id: type } : {}) };
    if (await run(() => api.moveRoom(order, body))) props.onDone();
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
              max={checkOut}
              onChange={(e) => setFrom((e.currentTarget as HTMLInputElement).value)}
              required
            />
          </label>
          <label>
            {t("room")}
            <select name="room" required disabled={!free?.length}>
              <option value="">{free === null ? t("loading") : free.length ? t("choose_room") : t("no_free_rooms")}</option>
              {free?.map((r) => (
                <option value={r} key={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy || !free?.length}>
            {rooms.length ? t("move_room") : t("assign_room")}
          </button>
          <Problem text={error} />
        </form>
      )}
    </div>
  );
}
