/**
 * A room block's rooming list (`GET /v1/blocks/{id}/guests`): who of the group booked, their
 * arrival, nights, people, room and what their booking still asks, each linking to its order
 * (an outside group tester saw only how many rooms were picked up, never by whom). Read again
 * when the block's picked-up count changes (a guest booked or cancelled from it).
 */

import { useDesk } from "./app";
import { Problem, Status, useLoaded } from "./lines";

interface Guest {
  order_id: string;
  status: string;
  name: string;
  check_in: string;
  nights: number;
  party: number;
  rooms: { first_night: string; room: string }[];
  balance: number;
  currency: string;
}

export function BlockGuests({ blockId, picked }: { blockId: string; picked: number }) {
  const { t, fmt, api } = useDesk();
  const { data, error } = useLoaded(
    () => api.get<{ data: Guest[]; complete: boolean }>(`/v1/blocks/${encodeURIComponent(blockId)}/guests`),
    [blockId],
    [picked],
  );
  const caption = `guests-${blockId}`;
  if (error) return <Problem text={error} />;
  if (!data) return null;
  if (!data.data.length) return <p class="muted">{t("block_guests_none")}</p>;
  return (
    <div class="scroll">
      <table class="rooms block-guests" aria-labelledby={caption}>
        <caption id={caption}>{t("block_guests")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("guest_name")}</th>
            <th scope="col">{t("arrival_date")}</th>
            <th scope="col">{t("nights")}</th>
            <th scope="col">{t("party")}</th>
            <th scope="col">{t("block_guest_rooms")}</th>
            <th scope="col">{t("block_guest_balance")}</th>
            <th scope="col">{t("block_guest_status")}</th>
          </tr>
        </thead>
        <tbody>
          {data.data.map((g) => (
            <tr key={g.order_id} data-order={g.order_id}>
              <th scope="row">
                <a href={`#/order/${encodeURIComponent(g.order_id)}`}>{g.name}</a>
              </th>
              <td>{fmt.day(g.check_in)}</td>
              <td class="num">{g.nights}</td>
              <td class="num">{g.party}</td>
              <td>{g.rooms.map((r) => r.room).join(", ") || "—"}</td>
              <td class="num">{fmt.money(g.balance)}</td>
              <td>
                <Status status={g.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!data.complete && <p class="muted">{t("block_guests_more")}</p>}
    </div>
  );
}
