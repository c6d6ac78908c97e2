/**
 * A walk-in or a phone booking in one flow: what and when, the free options from
 * `GET /v1/availability` (a stay's room types, a service's times with who serves them, a
 * departure's seats), the customer, then the hold and its confirmation, one after the other.
 * An option another desk booked meanwhile (409 `unavailable` on the hold) is not left chosen
 * with its old count, ready to be pressed again (an outside tester's two desks both saw "1
 * free" for the last suite): the free options are read again, the form says it was just taken,
 * and what was typed for the customer stays for the option chosen next.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { addDays, todayIn, wallClock } from "../shared/format";
import type { Availability, LineIn, Offering, Order } from "./api";
import { message, useDesk } from "./app";
import { focusIfLost } from "./focus";
import { QuestionFields, cleaned, emptyAnswers, firstMissing } from "../widget/questions";
import { ApiError, type Answers } from "./api";
import { type Customer, customersApi } from "./customers_api";
import { Problem, when } from "./lines";

type Option = Availability["options"][number];
type Asked = { offering: Offering; party: number; nights: number };
/** The customer's fields as typed, kept over a refusal that closes the form (option taken). */
type Typed = Partial<Record<"name" | "email" | "phone" | "note" | "coupon" | "points", string>>;

/** The same option read again: its start (a stay's date) on the same resources. */
function sameOption(a: Option, b: Option): boolean {
  const on = (o: Option) => o.resources.map((r) => `${r.requirement}:${r.resource_id}`).join(",");
  return a.start === b.start && a.date === b.date && on(a) === on(b);
}

const TAKEN: Readonly<Record<string, "new_taken_room" | "new_taken_seats" | "new_taken_time">> = {
  nightly: "new_taken_room",
  session: "new_taken_seats",
};

/** `customerId`: booking for a known customer (from their page): their name and contacts are
 * filled in. */
export function NewBooking({ customerId = "" }: { customerId?: string }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const [known, setKnown] = useState<Customer | null>(null);
  const [phoneGiven, setPhoneGiven] = useState(false); // then the e-mail may be left out
  useEffect(() => {
    const found = (c: Customer) => (setKnown(c), setPhoneGiven(Boolean(c.phone)));
    if (customerId) customersApi(api).get(customerId).then(found).catch(() => setKnown(null));
  }, [customerId]);
  const [offerings, setOfferings] = useState<Offering[]>([]);
  const [offeringId, setOfferingId] = useState("");
  const [date, setDate] = useState(todayIn(desk.tenant.timezone));
  const [party, setParty] = useState(1);
  const [nights, setNights] = useState(1);
  const [options, setOptions] = useState<Option[] | null>(null);
  const [searched, setSearched] = useState("");
  // What the options were found for: the booking is made from it, never from fields changed since.
  const [asked, setAsked] = useState<Asked | null>(null);
  const [typed, setTyped] = useState<Typed>({});
  // One Idempotency-Key per attempt (a retry after a lost answer holds once); a hold whose
  // confirmation failed is shown, not held again.
  const attempt = useRef({ signature: "", key: "" });
  const [held, setHeld] = useState<{ order: Order; signature: string } | null>(null);
  // The offering's booking questions, asked as the widget asks them (web/widget/questions.tsx).
  const [answers, setAnswers] = useState<Answers>(emptyAnswers(1));
  const [problem, setProblem] = useState<{ question: string; person: number; message: string } | null>(null);
  const reset = () => {
    setOptions(null);
    setChosen(null);
    setHeld(null);
    attempt.current = { signature: "", key: "" };
  };
  const [chosen, setChosen] = useState<Option | null>(null);
  const [booked, setBooked] = useState<Order | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  // Both are disabled while they ask, which drops the keyboard to <body> (an outside tester's
  // keyboard-only walk-in): each answer puts it back on what says the outcome (focus.ts).
  const findButton = useRef<HTMLButtonElement>(null);
  const bookButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    api
      .offerings()
      .then((all) => {
        setOfferings(all);
        if (all[0]) setOfferingId(all[0].id);
      })
      .catch((e) => setError(message(t, e)));
  }, []);
  const offering = offerings.find((o) => o.id === offeringId);

  const freeOn = async (day: string, { offering: what, party: people, nights: length }: Asked) =>
    (
      await api.availability({
        offering: what.id,
        from: day,
        to: addDays(day, 1),
        party: String(people),
        ...(what.kind === "nightly" ? { nights: String(length) } : {}),
      })
    ).options;

  const find = async (event: Event) => {
    event.preventDefault();
    if (!offering) return;
    setBusy(true);
    setError("");
    setChosen(null);
    try {
      setOptions(await freeOn(date, { offering, party, nights }));
      setSearched(date);
      setAsked({ offering, party, nights });
      setAnswers(emptyAnswers(party));
      setProblem(null);
      setTyped({});
      // "Find times" was disabled while it asked: the keyboard goes to what was found.
      focusIfLost(() => document.querySelector("[data-new-found]"));
    } catch (e) {
      setError(message(t, e));
      focusIfLost(() => findButton.current);
    } finally {
      setBusy(false);
    }
  };

  const book = async (event: Event) => {
    event.preventDefault();
    if (!asked || !chosen) return;
    const { offering: what, party: people, nights: length } = asked;
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const line: LineIn =
      what.kind === "nightly"
        ? { offering_id: what.id, check_in: chosen.date, nights: length, party: people }
        : { offering_id: what.id, start: wallClock(chosen.start), party: people };
    const questions = what.questions ?? [];
    const missing = firstMissing(questions, answers);
    setProblem(missing ? { question: missing[0], person: missing[1], message: t("answer_required") } : null);
    if (missing) return;
    if (questions.length) line.answers = cleaned(questions, answers);
    if (chosen.resources.length) {
      // The resources shown with the option: the room type, the stylist, the departure.
      line.resource_ids = Object.fromEntries(chosen.resources.map((r) => [String(r.requirement), r.resource_id]));
    }
    const phone = String(form.get("phone") ?? "").trim();
    const email = String(form.get("email") ?? "").trim();
    // A phone booking: a name and a phone are enough (messages then go by text, or none).
    const customer = { name: String(form.get("name")).trim(), ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
    const note = String(form.get("note") ?? "").trim();
    const coupon = String(form.get("coupon") ?? "").trim();
    const points = Number(form.get("points") ?? 0) || 0;
    const redeem = { ...(coupon ? { coupon } : {}), ...(points > 0 ? { points } : {}) };
    const signature = JSON.stringify([customer, line, note, redeem]);
    if (signature !== attempt.current.signature) attempt.current = { signature, key: crypto.randomUUID() };
    setBusy(true);
    setError("");
    try {
      // The hold of this same attempt whose confirmation failed is confirmed, never another.
      const order =
        held?.signature === signature ? held.order : await api.hold(customer, [line], note, attempt.current.key, redeem);
      setHeld({ order, signature });
      setBooked(await api.act(order.id, "confirm"));
      focusIfLost(() => document.getElementById("new-title")); // "Booked: ..." says it
    } catch (e) {
      if (e instanceof ApiError && e.code === "unavailable" && !held) {
        const kept = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
        await freeAgain(e, asked, chosen, kept);
        return;
      }
      if (e instanceof ApiError && e.code === "invalid_answer") {
        setProblem({ question: String(e.details.question ?? ""), person: Number(e.details.person ?? -1), message: e.message });
      }
      setError(message(t, e));
      focusIfLost(() => bookButton.current); // a refusal: back on the button pressed
    } finally {
      setBusy(false);
    }
  };

  // The hold refused as no longer free: the options as they are now. The one chosen, gone or
  // fewer than shown, was just taken by another booking: said so (not the refusal's "no space
  // or closed"), and nothing stays chosen; the keyboard goes to what is free now.
  const freeAgain = async (e: ApiError, what: Asked, was: Option, kept: Typed) => {
    const now = await freeOn(searched, what).catch(() => null);
    if (!now) {
      setError(message(t, e));
      focusIfLost(() => bookButton.current);
      return;
    }
    const same = now.find((o) => sameOption(o, was));
    const taken = !same || same.remaining < was.remaining;
    setOptions(now);
    setTyped(kept);
    setChosen(taken ? null : (same ?? null));
    setError(taken ? t(TAKEN[what.offering.kind] ?? "new_taken_time") : `${message(t, e)} ${t("new_refused_again")}`);
    focusIfLost(() => (taken ? document.querySelector("[data-new-found]") : bookButton.current));
  };

  if (booked) {
    return (
      <section aria-labelledby="new-title">
        <h1 id="new-title">{t("booked", { id: booked.id })}</h1>
        <p role="status">
          {booked.customer.name} · {booked.lines.map((l) => `${l.offering_name} ${when(t, fmt, l)}`).join(", ")}
        </p>
        <Discounts order={booked} />
        <a class="button" href={`#/order/${encodeURIComponent(booked.id)}`}>
          {t("open_order")}
        </a>
      </section>
    );
  }
  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">{t("new_title")}</h1>
      <form class="search" onSubmit={find}>
        <label>
          {t("offering")}
          <select
            value={offeringId}
            onChange={(e) => {
              setOfferingId((e.currentTarget as HTMLSelectElement).value);
              reset();
            }}
          >
            {offerings.map((o) => (
              <option value={o.id} key={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {offering?.kind === "nightly" ? t("check_in_date") : t("date")}
          <input type="date" value={date} required onChange={(e) => {
              setDate((e.currentTarget as HTMLInputElement).value);
              reset();
            }} />
        </label>
        {offering?.kind === "nightly" && (
          <label>
            {t("nights")}
            <input type="number" min={1} max={30} value={nights} onChange={(e) => {
              setNights(Number((e.currentTarget as HTMLInputElement).value));
              reset();
            }} />
          </label>
        )}
        <label>
          {t("people")}
          <input
            type="number"
            min={offering?.party_min ?? 1}
            max={offering?.party_max ?? 100}
            value={party}
            onChange={(e) => {
              setParty(Number((e.currentTarget as HTMLInputElement).value));
              reset();
            }}
          />
        </label>
        <button type="submit" ref={findButton} disabled={busy || !offering}>
          {t("find_times")}
        </button>
      </form>
      <Problem text={error} />
      {held && !booked && (
        <p class="muted">
          <a href={`#/order/${encodeURIComponent(held.order.id)}`}>{t("booked", { id: held.order.id })}</a> ·{" "}
          {t("st_held")}
        </p>
      )}
      {options?.length === 0 && (
        <p data-date={searched} data-new-found>
          {t("no_options")}
        </p>
      )}
      {options && options.length > 0 && (
        <ul class="options" aria-label={t("find_times")} data-date={searched} data-new-found>
          {options.map((o) => {
            const label = `${offering?.kind === "nightly" ? fmt.day(o.date) : fmt.time(o.start)} · ${fmt.money(o.price.total)}`;
            const who = o.resources.map((r) => r.name).join(", ");
            return (
              <li key={o.start + who}>
                <button
                  type="button"
                  aria-pressed={chosen === o}
                  onClick={() => {
                    setChosen(o);
                    setHeld(null);
                  }}
                >
                  {label}
                  {who && offering?.kind !== "nightly" ? ` · ${t("with", { name: who })}` : ""} · {t("remaining", { n: o.remaining })}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {chosen && (
        <form class="customer" onSubmit={book}>
          <label>
            {t("customer_name")}
            <input name="name" required maxLength={120} autofocus defaultValue={typed.name ?? known?.name ?? ""} />
          </label>
          <label>
            {t("email")}
            <input
              name="email"
              type="email"
              required={!phoneGiven}
              aria-describedby="contact-help"
              defaultValue={typed.email ?? known?.email ?? ""}
            />
          </label>
          <label>
            {t("phone")}
            <input
              name="phone"
              type="tel"
              placeholder="+4930123456"
              aria-describedby="contact-help"
              defaultValue={typed.phone ?? known?.phone ?? ""}
              onInput={(e) => setPhoneGiven(e.currentTarget.value.trim() !== "")}
            />
          </label>
          <small id="contact-help">{t("contact_either")}</small>
          <label>
            {t("note_optional")}
            <input name="note" maxLength={1000} defaultValue={typed.note ?? ""} />
          </label>
          <fieldset class="redeem">
            <legend>{t("redeem_title")}</legend>
            <label>
              {t("redeem_code")}
              <input name="coupon" maxLength={40} autoComplete="off" defaultValue={typed.coupon ?? ""} />
            </label>
            <label>
              {t("redeem_points")}
              <input name="points" type="number" min={0} max={10000000} inputMode="numeric" defaultValue={typed.points ?? ""} />
            </label>
          </fieldset>
          {asked && asked.offering.questions.length > 0 && (
            <div class="questions">
              <QuestionFields
                // The widget's fields, in the console's words (it has the three they use).
                t={(key, values) => t(key as "choose_answer" | "person_n" | "answer_required", values)}
                lang={t.lang}
                questions={asked.offering.questions}
                answers={answers}
                onAnswers={setAnswers}
                problem={problem}
              />
            </div>
          )}
          <button type="submit" ref={bookButton} disabled={busy}>
            {t("hold_and_confirm")}
          </button>
        </form>
      )}
    </section>
  );
}

/** The discounts a booking redeemed (a code, points: its folio's discounts) and what is left
 * to pay. */
function Discounts({ order }: { order: Order }) {
  const { t, fmt } = useDesk();
  const off = (order.charges ?? []).filter((c) => c.kind === "discount");
  if (!off.length) return null;
  const amount = off.reduce((sum, c) => sum + Math.abs(c.total), 0);
  return (
    <p class="discount" data-discount={amount}>
      {off.map((c) => c.label).join(", ")} · {t("redeem_discount", { amount: fmt.money(amount) })} ·{" "}
      {t("redeem_total", { amount: fmt.money(order.totals.total) })}
    </p>
  );
}
