/**
 * Overbookings (`#/overbookings`): a partner's reservations that came for inventory no longer
 * free. Each is an order holding no units (nothing is oversold), kept until staff resolve it:
 * move the guest into a unit free for the whole stay (one that freed up since: the choices are
 * the resources that can serve the booked offering, as availability answers for the stay's
 * dates and party), or relocate them elsewhere with a note (the booking is cancelled by the
 * business). Staff who may change orders get the actions; a viewer sees the list.
 */

import { useState } from "preact/hooks";
import { addDays } from "../shared/format";
import { MAY, type Order } from "./api";
import { useDesk } from "./app";
import { candidates, channels, type Sold, type Tagged } from "./channel_api";
import { party, Problem, useAction, useLoaded, when } from "./lines";
import { moneyIn } from "./report_series";

export function OverbookingsPage() {
  const { t, api, me } = useDesk();
  const { data, error, refresh } = useLoaded(() => channels.overbookings(api));
  return (
    <section aria-labelledby="overbookings-title" class="chn-page overbookings">
      <div class="toolbar">
        <h1 id="overbookings-title">{t("overbookings_title")}</h1>
        <button type="button" class="secondary" onClick={refresh}>
          {t("refresh")}
        </button>
      </div>
      <p class="muted">{t("overbookings_help")}</p>
      <Problem text={error} />
      {data === null && !error && <p role="status">{t("loading")}</p>}
      {data && data.length === 0 && <p>{t("overbookings_none")}</p>}
      {data && data.length > 0 && (
        <ul class="conflicts" aria-label={t("overbookings_title")}>
          {data.map((order) => (
            <Conflict key={order.id} order={order} canAct={MAY.operate(me.role)} onResolved={refresh} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Conflict({ order, canAct, onResolved }: { order: Order; canAct: boolean; onResolved: () => void }) {
  const { t, fmt } = useDesk();
  const [acting, setActing] = useState<"move" | "relocate" | null>(null);
  const line = order.lines[0];
  const label = t("overbooking_of", { name: order.customer.name });
  return (
    <li>
      <article class="conflict" aria-label={label}>
        <h2>
          <a href={`#/order/${encodeURIComponent(order.id)}`}>{order.customer.name}</a>
        </h2>
        <p>
          {order.partner && t("overbooking_partner", { partner: order.partner.name, reference: order.partner.reference })}
          {" · "}
          {moneyIn(fmt.locale, order.currency, order.totals.total, order.currency === fmt.currency ? fmt.decimals : undefined)}
        </p>
        {order.lines.map((l, i) => (
          <p key={i}>
            {when(t, fmt, l)} · {l.offering_name} · {party(t, l.party)}
          </p>
        ))}
        {canAct && line && (
          <div class="inline">
            <button type="button" aria-expanded={acting === "move"} onClick={() => setActing(acting === "move" ? null : "move")}>
              {t("overbooking_move")}
            </button>
            <button type="button" class="secondary" aria-expanded={acting === "relocate"} onClick={() => setActing(acting === "relocate" ? null : "relocate")}>
              {t("overbooking_relocate")}
            </button>
          </div>
        )}
        {acting === "move" && line && <MoveForm order={order} onResolved={onResolved} />}
        {acting === "relocate" && <RelocateForm order={order} onResolved={onResolved} />}
      </article>
    </li>
  );
}

interface Free {
  resource_id: string;
  name: string;
  remaining: number;
}

/** The resources a conflict can move to: those that can serve its line's offering and are
 * free for the whole stay and party (availability asked for that start, one resource at a
 * time, as the move keeps the offering and the price the guest booked). */
function useFree(order: Order) {
  const { api } = useDesk();
  const line = order.lines[0]!;
  return useLoaded<Free[]>(async () => {
    const [offerings, resources] = await Promise.all([api.offerings() as Promise<Sold[]>, api.resources() as Promise<Tagged[]>]);
    const offering = offerings.find((o) => o.id === line.offering_id);
    if (!offering) return [];
    const day = line.start.slice(0, 10);
    const asked = candidates(offering, resources).map(async (r): Promise<Free | null> => {
      const answer = await api.availability({
        offering: offering.id,
        from: day,
        to: addDays(day, 1),
        party: String(line.party),
        nights: line.nights ? String(line.nights) : undefined,
        resource: r.id,
      });
      const same = (o: { date: string; start: string }) => (line.nights ? o.date === day : o.start.slice(0, 16) === line.start.slice(0, 16));
      const option = answer.options.find((o) => same(o) && o.remaining > 0);
      return option ? { resource_id: r.id, name: r.name, remaining: option.remaining } : null;
    });
    return (await Promise.all(asked)).filter((f): f is Free => f !== null);
  }, [order.id]);
}

function MoveForm({ order, onResolved }: { order: Order; onResolved: () => void }) {
  const { t, api } = useDesk();
  const free = useFree(order);
  const { busy, error, run } = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const resource_id = String(new FormData(event.currentTarget as HTMLFormElement).get("resource") ?? "");
    if (await run(() => channels.resolve(api, order.id, { action: "move", ...(resource_id ? { resource_id } : {}) }))) onResolved();
  };
  const legend = t("overbooking_move_to", { name: order.customer.name });
  return (
    <form class="inline" onSubmit={submit} aria-label={legend}>
      <Problem text={free.error} />
      {free.data === null && !free.error && <p role="status">{t("loading")}</p>}
      {free.data && free.data.length === 0 && <p>{t("overbooking_nothing_free")}</p>}
      {free.data && free.data.length > 0 && (
        <fieldset class="choices">
          <legend>{legend}</legend>
          {free.data.map((f, i) => (
            <label class="check" key={f.resource_id}>
              <input type="radio" name="resource" value={f.resource_id} defaultChecked={i === 0} required />
              {t("overbooking_free", { name: f.name, n: f.remaining })}
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit" disabled={busy || !free.data?.length}>
        {t("overbooking_move_confirm")}
      </button>
      <Problem text={error} />
    </form>
  );
}

function RelocateForm({ order, onResolved }: { order: Order; onResolved: () => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget as HTMLFormElement).get("note") ?? "").trim();
    if (await run(() => channels.resolve(api, order.id, { action: "relocate", ...(note ? { note } : {}) }))) onResolved();
  };
  return (
    <form class="inline" onSubmit={submit} aria-label={t("overbooking_relocate_of", { name: order.customer.name })}>
      <p class="wide muted">{t("overbooking_relocate_help")}</p>
      <label class="wide">
        {t("overbooking_relocate_note")}
        <input name="note" maxLength={500} autoComplete="off" />
      </label>
      <button type="submit" class="danger" disabled={busy}>
        {t("overbooking_relocate_confirm")}
      </button>
      <Problem text={error} />
    </form>
  );
}
