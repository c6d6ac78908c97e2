/**
 * Gift cards (`#/gift-cards`): sell one at the desk (`POST /v1/gift-cards`: the amount, who
 * buys it for whom, a message, how it was paid; the answer shows the card's code this once, and
 * the recipient gets it by e-mail), find one by its code (`POST /v1/gift-cards/lookup`), the
 * cards sold with their balance (`GET /v1/gift-cards`), one card's ledger, disabling one and how
 * long cards are valid (managers). Money through Intl; every control labelled.
 */

import { useState } from "preact/hooks";
import { MAY } from "./api";
import { useDesk } from "./app";
import { DecimalField } from "./catalog_parts";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";
import { type ByKind, useWho } from "./who";

const SALE_TENDERS = ["cash", "card_terminal", "bank_transfer", "other"] as const;

interface Entry {
  id: string;
  at: string;
  movement: "issued" | "redeemed" | "refunded" | "disabled";
  amount: number;
  order_id: string;
  by: string;
  by_kind: ByKind;
  note: string;
}
interface Card {
  id: string;
  masked_code: string;
  currency: string;
  initial: number;
  balance: number;
  status: "active" | "disabled";
  expires_on: string | null;
  expired: boolean;
  buyer: { name: string; email: string };
  recipient: { name: string; email: string };
  message: string;
  sold_at: string;
  paid_with: string;
  ledger: Entry[] | null;
}

export function GiftCardsPage() {
  const desk = useDesk();
  const { t, api } = desk;
  const [round, setRound] = useState(0);
  const [open, setOpen] = useState<Card | null>(null);
  const list = useLoaded(() => api.get<{ cards: Card[]; next_cursor: string | null }>("/v1/gift-cards", { limit: 100 }), [round]);
  const changed = (card?: Card) => {
    setRound((n) => n + 1);
    if (card) setOpen(card);
  };
  return (
    <section aria-labelledby="gift-title" class="gift-cards">
      <h1 id="gift-title">{t("gift_title")}</h1>
      {MAY.operate(desk.me.role) && <SellCard onSold={() => changed()} />}
      <FindCard onFound={setOpen} />
      {open && <CardDetail key={`${open.id}-${open.balance}-${open.status}`} card={open} onChanged={changed} />}
      <h2 id="gift-sold-title">{t("gift_sold")}</h2>
      <Problem text={list.error} />
      {list.data && list.data.cards.length === 0 && <p class="muted">{t("gift_none")}</p>}
      {list.data && list.data.cards.length > 0 && <CardTable cards={list.data.cards} onOpen={setOpen} />}
      {MAY.manage(desk.me.role) && <Validity />}
    </section>
  );
}

function CardTable({ cards, onOpen }: { cards: Card[]; onOpen: (c: Card) => void }) {
  const { t, fmt, api } = useDesk();
  const show = async (id: string) => onOpen(await api.get<Card>(`/v1/gift-cards/${encodeURIComponent(id)}`));
  return (
    // Named by the heading above it: one "Cards sold", read once (PROBE5 12).
    <table class="records" aria-labelledby="gift-sold-title">
      <thead>
        <tr>
          <th scope="col">{t("gift_code")}</th>
          <th scope="col">{t("gift_recipient")}</th>
          <th scope="col">{t("gift_balance")}</th>
          <th scope="col">{t("gift_status")}</th>
          <th scope="col">{t("gift_sold_at")}</th>
        </tr>
      </thead>
      <tbody>
        {cards.map((c) => (
          <tr key={c.id}>
            <td>
              <button type="button" class="link" onClick={() => show(c.id)}>
                {c.masked_code}
              </button>
            </td>
            <td>{c.recipient.name}</td>
            <td class="num">{fmt.money(c.balance)}</td>
            <td>{statusOf(t, c)}</td>
            <td>{fmt.dateTime(c.sold_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function statusOf(t: (k: Key) => string, c: Card): string {
  if (c.status === "disabled") return t("gift_disabled");
  return c.expired ? t("gift_expired") : t("gift_active");
}

function SellCard({ onSold }: { onSold: () => void }) {
  const { t, api, fmt } = useDesk();
  const { busy, error, run, refusedMarked } = useAction();
  const [amount, setAmount] = useState(0);
  const [method, setMethod] = useState<(typeof SALE_TENDERS)[number]>("cash");
  const [buyer, setBuyer] = useState({ name: "", email: "" });
  const [recipient, setRecipient] = useState({ name: "", email: "" });
  const [note, setNote] = useState("");
  const [lang, setLang] = useState<"en" | "zh-Hans">(t.lang);
  const [sold, setSold] = useState<{ code: string; card: Card } | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (refusedMarked(event)) return;
    const body = { amount, method, buyer, recipient, message: note, lang };
    let answer: { code: string; card: Card } | null = null;
    if (await run(async () => (answer = await api.post<{ code: string; card: Card }>("/v1/gift-cards", body)))) {
      setSold(answer);
      setAmount(0);
      setNote("");
      onSold();
    }
  };
  const person = (who: "buyer" | "recipient", value: { name: string; email: string }, set: (v: { name: string; email: string }) => void) => (
    <>
      <label>
        {t(`gift_${who}_name` as Key)}
        <input value={value.name} required maxLength={120} onInput={(e) => set({ ...value, name: (e.currentTarget as HTMLInputElement).value })} />
      </label>
      <label>
        {t(`gift_${who}_email` as Key)}
        <input type="email" value={value.email} required maxLength={254} onInput={(e) => set({ ...value, email: (e.currentTarget as HTMLInputElement).value })} />
      </label>
    </>
  );
  return (
    <form class="inline sell-card" onSubmit={submit} aria-labelledby="sell-title">
      <h2 id="sell-title" class="wide">
        {t("gift_sell")}
      </h2>
      <DecimalField label={t("gift_amount")} value={amount} onChange={setAmount} money />
      <label>
        {t("gift_paid_with")}
        <select value={method} onChange={(e) => setMethod((e.currentTarget as HTMLSelectElement).value as (typeof SALE_TENDERS)[number])}>
          {SALE_TENDERS.map((m) => (
            <option value={m} key={m}>
              {t(`tender_${m}` as Key)}
            </option>
          ))}
        </select>
      </label>
      {person("buyer", buyer, setBuyer)}
      {person("recipient", recipient, setRecipient)}
      <label class="wide">
        {t("gift_message")}
        <textarea value={note} maxLength={500} rows={2} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      <label>
        {t("gift_email_language")}
        <select value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as "en" | "zh-Hans")}>
          <option value="en">English</option>
          <option value="zh-Hans">简体中文</option>
        </select>
      </label>
      <button type="submit" disabled={busy || amount <= 0}>
        {t("gift_sell_amount", { amount: fmt.money(amount) })}
      </button>
      <Problem text={error} />
      {sold && (
        <p role="status" class="wide sold-code">
          {t("gift_sold_code", { email: sold.card.recipient.email })} <strong class="code">{sold.code}</strong>
        </p>
      )}
    </form>
  );
}

function FindCard({ onFound }: { onFound: (c: Card) => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [code, setCode] = useState("");
  const submit = async (event: Event) => {
    event.preventDefault();
    await run(async () => onFound(await api.post<Card>("/v1/gift-cards/lookup", { code: code.trim() })));
  };
  return (
    <form class="inline find-card" onSubmit={submit} role="search" aria-labelledby="find-title">
      <h2 id="find-title" class="wide">
        {t("gift_find")}
      </h2>
      <label>
        {t("gift_code")}
        <input value={code} required maxLength={40} autoComplete="off" spellcheck={false} class="code" onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <button type="submit" disabled={busy || !code.trim()}>
        {t("gift_find_button")}
      </button>
      <Problem text={error} />
    </form>
  );
}

function CardDetail({ card, onChanged }: { card: Card; onChanged: (c: Card) => void }) {
  const desk = useDesk();
  const who = useWho();
  const { t, fmt, api } = desk;
  const { busy, error, run } = useAction();
  const disable = async () => {
    let after: Card | null = null;
    if (await run(async () => (after = await api.post<Card>(`/v1/gift-cards/${encodeURIComponent(card.id)}/disable`)))) {
      if (after) onChanged(after);
    }
  };
  return (
    <section class="card-detail" aria-labelledby="card-title">
      <h2 id="card-title">
        {t("gift_card_title", { code: card.masked_code })} · {statusOf(t, card)}
      </h2>
      <dl class="money">
        <dt>{t("gift_balance")}</dt>
        <dd>
          <strong>{fmt.money(card.balance)}</strong> / {fmt.money(card.initial)}
        </dd>
        <dt>{t("gift_recipient")}</dt>
        <dd>
          {card.recipient.name} &lt;{card.recipient.email}&gt;
        </dd>
        <dt>{t("gift_buyer")}</dt>
        <dd>
          {card.buyer.name} &lt;{card.buyer.email}&gt;
        </dd>
        <dt>{t("gift_valid_until")}</dt>
        <dd>{card.expires_on ? fmt.day(card.expires_on) : t("gift_never_expires")}</dd>
      </dl>
      {card.ledger && (
        <table class="records ledger">
          <caption>{t("gift_ledger")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("money_when")}</th>
              <th scope="col">{t("gift_movement")}</th>
              <th scope="col">{t("money_amount")}</th>
              <th scope="col">{t("takings_order")}</th>
              <th scope="col">{t("money_by")}</th>
            </tr>
          </thead>
          <tbody>
            {card.ledger.map((e) => (
              <tr key={e.id}>
                <td>{fmt.dateTime(e.at)}</td>
                <td>{t(`gift_move_${e.movement}` as Key)}</td>
                <td class="num">{e.amount < 0 ? `−${fmt.money(-e.amount)}` : fmt.money(e.amount)}</td>
                <td>{e.order_id && <a href={`#/order/${encodeURIComponent(e.order_id)}`}>{e.order_id}</a>}</td>
                <td>{who(e.by, e.by_kind)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {MAY.manage(desk.me.role) && card.status === "active" && (
        <button type="button" class="danger" disabled={busy} onClick={disable}>
          {t("gift_disable")}
        </button>
      )}
      <Problem text={error} />
    </section>
  );
}

interface CardSettings {
  valid_months: number;
  online_min_amount: number | null;
  online_max_amount: number | null;
}

/** How long cards are valid, and the least and most a card bought in the widget may hold
 * (0: no bound of the business's own). */
function Validity() {
  const { t, api } = useDesk();
  const { data } = useLoaded(() => api.get<CardSettings>("/v1/gift-cards/settings"), []);
  const { busy, error, run, refusedMarked } = useAction();
  const [months, setMonths] = useState<number | null>(null);
  const [low, setLow] = useState<number | null>(null);
  const [high, setHigh] = useState<number | null>(null);
  const [saved, setSaved] = useState(false);
  const shown = months ?? data?.valid_months ?? 0;
  const lowShown = low ?? data?.online_min_amount ?? 0;
  const highShown = high ?? data?.online_max_amount ?? 0;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (refusedMarked(event)) return;
    setSaved(false);
    const body = { valid_months: shown, online_min_amount: lowShown, online_max_amount: highShown };
    setSaved(await run(() => api.put("/v1/gift-cards/settings", body)));
  };
  return (
    <form class="inline" onSubmit={submit} aria-labelledby="validity-title">
      <h2 id="validity-title" class="wide">
        {t("gift_validity")}
      </h2>
      <label>
        {t("gift_valid_months")}
        <input type="number" min={0} max={120} value={shown} onInput={(e) => setMonths(Number((e.currentTarget as HTMLInputElement).value))} />
      </label>
      <DecimalField label={t("gift_online_min")} value={lowShown} onChange={setLow} money />
      <DecimalField label={t("gift_online_max")} value={highShown} onChange={setHigh} money />
      <button type="submit" disabled={busy}>
        {t("save")}
      </button>
      <p class="muted wide">{t("gift_online_bounds_help")}</p>
      {saved && <p role="status">{t("gift_settings_saved")}</p>}
      <Problem text={error} />
    </form>
  );
}
