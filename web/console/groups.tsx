/**
 * Groups (`#/groups`): the room blocks held for groups (`GET /v1/blocks`), each night's rooms
 * held, picked up and left; a manager holds a new block (groups_new_block.tsx) and releases
 * one; any staff member books the rooming list's guests from a block, one at a time
 * (`POST /v1/blocks/{id}/pickups`).
 * Each step leaves the keyboard on a status line that says its outcome (a keyboard and
 * screen-reader tester was left on <body>, told nothing): drawn empty before it says it, so
 * a screen reader announces the words when they come. Releasing asks first: it cannot be
 * undone (the rooms go back on sale at once).
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { MAY, type Resource, type Offering } from "./api";
import { useDesk } from "./app";
import { focusSoon, useQuestionFocus } from "./focus";
import { BlockGuests } from "./groups_guests";
import { NewBlock } from "./groups_new_block";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";
import { Question } from "./question";

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

  const [held, setHeld] = useState("");
  const heldLine = useRef<HTMLParagraphElement>(null);
  const onHeld = (name: string) => {
    setHeld(t("block_held_said", { name }));
    refresh();
    focusSoon(() => heldLine.current);
  };

  return (
    <section aria-labelledby="groups-title">
      <h1 id="groups-title">{t("nav_groups")}</h1>
      <Problem text={error} />
      {MAY.manage(desk.me.role) && <NewBlock types={types} offerings={offerings} onHeld={onHeld} />}
      <p role="status" class={held ? "notice" : undefined} ref={heldLine}>
        {held}
      </p>
      {blocks === null && !error && <p role="status">{t("loading")}</p>}
      {blocks?.length === 0 && <p class="muted">{t("no_blocks")}</p>}
      {blocks?.map((b) => (
        <BlockCard key={b.id} block={b} typeName={types.find((r) => r.id === b.resource_id)?.name ?? ""} onDone={refresh} />
      ))}
    </section>
  );
}

function BlockCard({ block, typeName, onDone }: { block: Block; typeName: string; onDone: () => void }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const { busy, error, run } = useAction();
  const id = `block-${block.id}`;
  const [asking, setAsking] = useState(false);
  const { opener, keep, answered } = useQuestionFocus(asking);
  const [released, setReleased] = useState("");
  const releasedLine = useRef<HTMLParagraphElement>(null);
  const release = async () => {
    if (await run(() => api.post(`/v1/blocks/${encodeURIComponent(block.id)}/release`))) {
      answered(); // the card's line says the rooms are released: the keyboard goes there
      setAsking(false);
      setReleased(t("block_released_said", { name: block.name }));
      onDone();
      focusSoon(() => releasedLine.current);
    }
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
      <BlockGuests blockId={block.id} picked={block.picked} />
      {block.status === "held" && MAY.operate(desk.me.role) && <Pickup block={block} onDone={onDone} />}
      {block.status === "held" &&
        MAY.manage(desk.me.role) &&
        (asking ? (
          <Question
            label={t("release_block")}
            says={t("block_release_sure", { name: block.name })}
            yes={t("block_release_yes")}
            keep={t("block_release_keep")}
            busy={busy}
            keepRef={keep}
            onYes={release}
            onKeep={() => setAsking(false)}
          />
        ) : (
          <button type="button" class="danger" ref={opener} disabled={busy} onClick={() => setAsking(true)}>
            {t("release_block")}
          </button>
        ))}
      <p role="status" class={released ? "notice" : undefined} ref={releasedLine}>
        {released}
      </p>
      <Problem text={error} />
    </article>
  );
}

function Pickup({ block, onDone }: { block: Block; onDone: () => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [booked, setBooked] = useState<{ id: string; name: string } | null>(null);
  const bookedLine = useRef<HTMLParagraphElement>(null);
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
    setBooked(null);
    const done = await run(async () => {
      const order = await api.post<{ id: string }>(`/v1/blocks/${encodeURIComponent(block.id)}/pickups`, body);
      setBooked({ id: order.id, name: body.customer.name });
      formEl.reset();
      onDone();
    });
    if (done) focusSoon(() => bookedLine.current);
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
      {/* Drawn before it says anything, so the booking is announced, and focused then. */}
      <p role="status" class={booked ? "notice wide" : "wide"} ref={bookedLine}>
        {booked && (
          <a href={`#/order/${encodeURIComponent(booked.id)}`}>{t("block_booked_said", { name: booked.name, id: booked.id })}</a>
        )}
      </p>
      <Problem text={error} />
    </form>
  );
}
