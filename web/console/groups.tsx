/**
 * Groups (`#/groups`): the room blocks held for groups (`GET /v1/blocks`), each night's rooms
 * held, picked up and left; a manager holds a new block and releases one; any staff member
 * books the rooming list's guests from a block, one at a time (`POST /v1/blocks/{id}/pickups`).
 */

import { useEffect, useState } from "preact/hooks";
import { MAY, type Resource, type Offering } from "./api";
import { useDesk } from "./app";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";

interface Block {
  id: string;
  name: string;
  resource_id: string;
  offering_id: string;
  from: string;
  nights: number;
  rooms: number;
  release_at: string;
  status: "held" | "released";
  picked: number;
  nights_detail: { night: string; rooms: number; picked: number; left: number }[];
}

export function Groups() {
  const desk = useDesk();
  const { t, api } = desk;
  const loaded = useLoaded(async () => (await api.get<{ data: Block[] }>("/v1/blocks")).data);
  const { data: blocks, error, refresh } = loaded;
  const [types, setTypes] = useState<Resource[]>([]);
  const [offerings, setOfferings] = useState<Offering[]>([]);
  useEffect(() => {
    api.resources().then((all) => setTypes(all.filter((r) => r.kind === "nightly"))).catch(() => undefined);
    api.offerings().then((all) => setOfferings(all.filter((o) => o.kind === "nightly"))).catch(() => undefined);
  }, []);

  return (
    <section aria-labelledby="groups-title">
      <h1 id="groups-title">{t("nav_groups")}</h1>
      <Problem text={error} />
      {MAY.manage(desk.me.role) && <NewBlock types={types} offerings={offerings} onDone={refresh} />}
      {blocks === null && !error && <p role="status">{t("loading")}</p>}
      {blocks?.length === 0 && <p class="muted">{t("no_blocks")}</p>}
      {blocks?.map((b) => (
        <BlockCard key={b.id} block={b} typeName={types.find((r) => r.id === b.resource_id)?.name ?? ""} onDone={refresh} />
      ))}
    </section>
  );
}

function NewBlock(props: { types: Resource[]; offerings: Offering[]; onDone: () => void }) {
  const { t, api } = useDesk();
  const [open, setOpen] = useState(false);
  const { busy, error, run } = useAction();
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t("new_block")}
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const offering = text("offering_id");
    const resource = text("resource_id");
    const body = {
      name: text("name"),
      resource_id: resource,
      offering_id: offering,
      from: text("from"),
      nights: Number(text("nights")),
      rooms: Number(text("rooms")),
      release_on: text("release_on"),
    };
    if (await run(() => api.post("/v1/blocks", body))) {
      setOpen(false);
      props.onDone();
    }
  };
  return (
    <form class="customer" onSubmit={submit} aria-labelledby="new-block-title">
      <strong id="new-block-title" class="wide">
        {t("new_block")}
      </strong>
      <label>
        {t("group_name")}
        <input name="name" maxLength={120} required autofocus />
      </label>
      <label>
        {t("other_type")}
        <select name="resource_id" required>
          {props.types.map((r) => (
            <option value={r.id} key={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("rate_of")}
        <select name="offering_id" required>
          {props.offerings.map((o) => (
            <option value={o.id} key={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("first_night")}
        <input type="date" name="from" required />
      </label>
      <label>
        {t("nights")}
        <input type="number" name="nights" min={1} max={30} defaultValue="2" required />
      </label>
      <label>
        {t("rooms_each_night")}
        <input type="number" name="rooms" min={1} max={200} defaultValue="2" required />
      </label>
      <label>
        {t("release_on")}
        <input type="date" name="release_on" required />
      </label>
      <button type="submit" disabled={busy}>
        {t("hold_block")}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t("keep")}
      </button>
      <Problem text={error} />
    </form>
  );
}

function BlockCard({ block, typeName, onDone }: { block: Block; typeName: string; onDone: () => void }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const { busy, error, run } = useAction();
  const id = `block-${block.id}`;
  const release = async () => {
    if (await run(() => api.post(`/v1/blocks/${encodeURIComponent(block.id)}/release`))) onDone();
  };
  return (
    <article class="sheet" aria-labelledby={id}>
      <h2 id={id}>
        {block.name} <span class={`badge st-${block.status === "held" ? "confirmed" : "cancelled"}`}>{t(`block_${block.status}` as Key)}</span>
      </h2>
      <p class="muted">
        {typeName} · {t(block.rooms === 1 ? "block_terms_1" : "block_terms", { rooms: block.rooms, from: fmt.day(block.from), release: fmt.dateTime(block.release_at) })}
      </p>
      <table class="rooms">
        <thead>
          <tr>
            <th scope="col">{t("night")}</th>
            <th scope="col">{t("picked_up")}</th>
            <th scope="col">{t("left")}</th>
          </tr>
        </thead>
        <tbody>
          {block.nights_detail.map((n) => (
            <tr key={n.night}>
              <th scope="row">{fmt.day(n.night)}</th>
              <td>{n.picked}</td>
              <td>{n.left}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {block.status === "held" && MAY.operate(desk.me.role) && <Pickup block={block} onDone={onDone} />}
      {block.status === "held" && MAY.manage(desk.me.role) && (
        <button type="button" class="danger" disabled={busy} onClick={release}>
          {t("release_block")}
        </button>
      )}
      <Problem text={error} />
    </article>
  );
}

function Pickup({ block, onDone }: { block: Block; onDone: () => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [booked, setBooked] = useState("");
  const submit = async (event: Event) => {
    event.preventDefault();
    const formEl = event.currentTarget as HTMLFormElement;
    const form = new FormData(formEl);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const body = {
      customer: { name: text("name"), email: text("email") },
      check_in: text("check_in"),
      nights: Number(text("nights")),
      party: Number(text("party") || "1"),
    };
    await run(async () => {
      const order = await api.post<{ id: string }>(`/v1/blocks/${encodeURIComponent(block.id)}/pickups`, body);
      setBooked(order.id);
      formEl.reset();
      onDone();
    });
  };
  const id = `pickup-${block.id}`;
  return (
    <form class="customer" onSubmit={submit} aria-labelledby={id}>
      <strong id={id} class="wide">
        {t("rooming_list")}
      </strong>
      <label>
        {t("guest_name")}
        <input name="name" maxLength={120} required />
      </label>
      <label>
        {t("email")}
        <input name="email" type="email" required />
      </label>
      <label>
        {t("arrival_date")}
        <input type="date" name="check_in" defaultValue={block.from} required />
      </label>
      <label>
        {t("nights")}
        <input type="number" name="nights" min={1} max={block.nights} defaultValue={String(block.nights)} required />
      </label>
      <label>
        {t("party")}
        <input type="number" name="party" min={1} max={10} defaultValue="1" />
      </label>
      <button type="submit" disabled={busy}>
        {t("book_guest")}
      </button>
      {booked && (
        <p role="status" class="notice">
          <a href={`#/order/${encodeURIComponent(booked)}`}>{t("booked_order", { id: booked })}</a>
        </p>
      )}
      <Problem text={error} />
    </form>
  );
}
