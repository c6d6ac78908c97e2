/**
 * Who is booking, then the hold. Light checks here (a name, an e-mail's shape, a phone's digits,
 * with its country code or as the business's country writes it); the API validates for real (phone numbers by their metadata, which is not
 * shipped to the browser). When the time is taken while the customer types (409
 * `unavailable`), the widget says so and offers the nearest free times: never a dead end.
 */
import { useState } from "preact/hooks";
import type { Answers, CustomerIn, Option, Order, PointsOffer } from "./api";
import { ApiError } from "./api";
import type { HoldAttempts } from "./attempts";
import type { Choice, Context } from "./app";
import { Alert, Heading, describe } from "./app";
import { QuestionFields, cleaned, emptyAnswers, fieldId, firstMissing, fitted } from "./questions";
import { chooserWords } from "./i18n";
import { StayTimesLine } from "./stay_times";
import { TermsLine } from "./terms";
import { OptionLabel, lineFor, nearest } from "./when";
import { YourTime } from "./summary";

type Customer = CustomerIn & { note: string };

/** A code checked for the choice as it is: what the booking's discount line would take off. */
export interface CodeOff {
  code: string;
  discount: number;
}

export function Summary({ ctx, choice, off }: { ctx: Context; choice: Choice; off?: CodeOff | null }) {
  const { t, fmt } = ctx;
  const { offering, option, params } = choice;
  // "With" only where the customer could choose who (a table or a hall has nobody to name).
  const staffChoice = (offering.resource_choices.find((c) => c.requirement === 0)?.resources.length ?? 0) > 1;
  return (
    <>
      <dl>
        <dt>{offering.name}</dt>
        <dd>
          {offering.kind === "nightly"
            ? `${fmt.day(option.date)} – ${fmt.day(option.end.slice(0, 10))}`
            : fmt.dateTime(option.start)}
          {offering.kind === "nightly" ? null : <YourTime ctx={ctx} start={option.start} />}
        </dd>
        {offering.kind !== "timed" || offering.party_max > 1 ? (
          <>
            <dt>{offering.kind === "nightly" ? t("guests") : t("people")}</dt>
            <dd>{params.party}</dd>
          </>
        ) : null}
        {option.resources.length > 0 && offering.kind === "timed" && staffChoice ? (
          <>
            <dt>{t(chooserWords(ctx.tenant.business_type).label)}</dt>
            <dd>{params.staff ? option.resources.map((r) => r.name).join(", ") : t(chooserWords(ctx.tenant.business_type).anyone)}</dd>
          </>
        ) : null}
        {off ? (
          <>
            {/* Worded as the booking's discount line is ("Code VIP15"), the amount as it takes it. */}
            <dt>{t("coupon_line", { code: off.code })}</dt>
            <dd class="price">{fmt.money(-off.discount)}</dd>
          </>
        ) : null}
        <dt>{t("total")}</dt>
        <dd class="price">
          {fmt.money(option.price.total - (off?.discount ?? 0))}
          {/* The tax in it (an outside tester's US tour never said its 9.5 % sales tax); with
              a code, the held booking says it, as the code's tax is the rate's. */}
          {!off && option.price.tax > 0 ? <small class="muted"> · {t("includes_tax", { tax: fmt.money(option.price.tax) })}</small> : null}
        </dd>
      </dl>
      {offering.kind === "nightly" ? <StayTimesLine ctx={ctx} /> : null}
      <TermsLine ctx={ctx} offering={offering} />
    </>
  );
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
// A number of the business's own country may be written as its people write it (612 345 678
// for a Madrid restaurant: a tester's was refused here, taken by the API); the API reads it.
const PHONE = /^(?:\+[1-9][0-9]{6,14}|0?[1-9][0-9]{5,14})$/;
// The API's limits (CustomerIn): typed past them is stopped at the field, not refused later.
const LONGEST = { name: 120, email: 254, phone: 40 } as const;

/** The customer's field a refusal names (`customer.name` in a 422's fields, or its `field`). */
function refusedField(err: ApiError): "name" | "email" | "phone" | null {
  const fields = Array.isArray(err.details.fields) ? (err.details.fields as { field?: unknown }[]) : [];
  const named = [err.details.field, ...fields.map((f) => f.field)];
  for (const name of ["name", "email", "phone"] as const) if (named.includes(`customer.${name}`)) return name;
  return null;
}

/** A refused field said in the visitor's words (PROBE 43: the API's English "The request has
 * invalid fields." was shown in a Chinese widget, at no field). */
function fieldWords(t: Context["t"], name: "name" | "email" | "phone", err: ApiError): string {
  const fields = Array.isArray(err.details.fields) ? (err.details.fields as { field?: unknown; problem?: unknown }[]) : [];
  const long = fields.some((f) => f.field === `customer.${name}` && f.problem === "string_too_long");
  if (long) return t("field_too_long", { n: LONGEST[name] });
  return t(name === "name" ? "name_required" : name === "email" ? "email_invalid" : "phone_invalid");
}

export function Details(props: {
  ctx: Context;
  choice: Choice;
  customer: Customer;
  onCustomer: (c: Customer) => void;
  answers: Answers | null; // kept by the app across Back and a new time
  onAnswers: (a: Answers) => void;
  onBack: () => void;
  onChoose: (choice: Choice) => void;
  onHeld: (order: Order) => void;
  spend?: PointsOffer | null; // points the customer may spend (opened from an e-mail's link)
  /** The widget's hold attempts, kept across Back (attempts.ts). */
  attempts: HoldAttempts;
}) {
  const { ctx, choice, customer } = props;
  const { t } = ctx;
  const [errors, setErrors] = useState<Partial<Record<"name" | "email" | "phone", string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [taken, setTaken] = useState<Option[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState("");
  // What the code's check said, for the code and choice it was asked for (`key`): a code
  // typed since, or another choice (a new price, party or time), must be checked again, so
  // neither what was said nor its discount is shown (an answer arriving late neither).
  const [checked, setChecked] = useState<{ key: string; said: string; off: CodeOff | null } | null>(null);
  const key = JSON.stringify([code.trim(), choice.line, choice.option.price.subtotal, choice.option.price.total]);
  const shownCheck = checked?.key === key ? checked : null;
  const codeSaid = shownCheck?.said ?? null;
  const setCodeSaid = (said: string | null, off: CodeOff | null = null) =>
    setChecked(said === null ? null : { key, said, off });
  // Points are offered while the e-mail is the one they belong to (the API checks it too).
  // What they take off is the held booking's discount line (the next step, before any
  // payment): taxed as the rate bills (booking/domain/folio.discount_taxed), which the
  // widget does not know, so no figure is guessed here.
  const [usePoints, setUsePoints] = useState(true);
  const spend = props.spend && customer.email.trim().toLowerCase() === props.spend.email.toLowerCase() ? props.spend : null;
  const spending = spend && usePoints ? spend : null;
  const questions = choice.offering.questions ?? [];
  const party = Number(choice.params.party) || 1;
  const answers = fitted(props.answers ?? emptyAnswers(party), party);
  const setAnswers = props.onAnswers;
  const [problem, setProblem] = useState<{ question: string; person: number; message: string } | null>(null);
  const focusAnswer = (form: HTMLFormElement, question: string, person: number): boolean => {
    const field = form.querySelector<HTMLElement>(`#${fieldId(question, person)}`);
    field?.focus();
    return field !== null;
  };
  const id = (name: string) => `rsv-details-${name}`;
  const set = (change: Partial<Customer>) => props.onCustomer({ ...customer, ...change });

  const submit = async (e: Event) => {
    e.preventDefault();
    const phone = (customer.phone ?? "").replace(/[\s().-]/g, "");
    const found: typeof errors = {};
    if (!customer.name.trim()) found.name = t("name_required");
    if (!EMAIL.test(customer.email.trim())) found.email = t("email_invalid");
    if (phone && !PHONE.test(phone)) found.phone = t("phone_invalid");
    setErrors(found);
    const form = e.currentTarget as HTMLFormElement;
    const invalid = (["name", "email", "phone"] as const).find((name) => found[name]);
    if (invalid) {
      form.querySelector<HTMLInputElement>(`#${id(invalid)}`)?.focus();
      return;
    }
    const missing = firstMissing(questions, answers);
    setProblem(missing ? { question: missing[0], person: missing[1], message: t("answer_required") } : null);
    if (missing) {
      focusAnswer(form, missing[0], missing[1]);
      return;
    }
    const who = { name: customer.name.trim(), email: customer.email.trim(), phone: phone || null, locale: ctx.locale };
    const line = questions.length ? { ...choice.line, answers: cleaned(questions, answers) } : choice.line;
    const coupon = code.trim();
    setBusy(true);
    setError(null);
    setTaken(null);
    try {
      const shown = choice.option.price.total;
      // One Idempotency-Key per request, kept across Back (attempts.ts): Book again after a
      // lost answer finds that hold; a changed request gives back the unseen one first.
      const request = { customer: who, lines: [line], note: customer.note.trim(), coupon, expectedTotal: shown, spend: spending };
      const order = await props.attempts.hold(ctx.api, request);
      props.onHeld(order);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === "price_changed") {
        // The price changed since the times were shown: said, and the summary shows the new
        // one, so the next Book holds at the price the customer has now seen.
        const now = Number(err.details.total);
        const price = { ...choice.option.price, total: now };
        if (typeof err.details.subtotal === "number") price.subtotal = err.details.subtotal;
        if (typeof err.details.tax === "number") price.tax = err.details.tax;
        props.onChoose({ ...choice, option: { ...choice.option, price } });
        setCodeSaid(null);
        setError(t("price_changed", { total: ctx.fmt.money(now) }));
      } else if (err instanceof ApiError && err.status === 409 && err.code === "unavailable") {
        setError(t("taken"));
        try {
          setTaken(await nearest(ctx, choice, choice.params));
        } catch {
          setTaken([]);
        }
      } else if (err instanceof ApiError && refusedField(err)) {
        // A field of the customer's the API refused (a name too long, a number that is none):
        // said at the field, in the visitor's words, and the field takes the focus.
        const name = refusedField(err) as "name" | "email" | "phone";
        setErrors({ [name]: fieldWords(t, name, err) });
        form.querySelector<HTMLInputElement>(`#${id(name)}`)?.focus();
      } else if (err instanceof ApiError && typeof err.details.question === "string") {
        // An answer the API refused: said at its field, which takes the focus.
        const person = typeof err.details.person === "number" ? err.details.person : -1;
        setProblem({ question: err.details.question, person, message: err.message });
        if (!focusAnswer(form, err.details.question, person)) setError(err.message); // no field
      } else {
        setError(describe(t, err));
      }
    } finally {
      setBusy(false);
    }
  };

  // What the code would take off this booking, asked before booking (the booking checks again).
  const checkCode = async () => {
    const typed = code.trim();
    if (!typed) return;
    setCodeSaid(null);
    try {
      const lines = [{ offering_id: choice.offering.id, amount: choice.option.price.subtotal }];
      const check = await ctx.api.checkCode(typed, lines);
      // The check's `discount` is what the booking's discount line takes off the total, tax
      // included: the total shown follows it until the code or the choice changes.
      const off = { code: check.code, discount: Math.min(check.discount, choice.option.price.total) };
      setCodeSaid(t("coupon_takes", { code: check.code, amount: ctx.fmt.money(check.discount) }), off);
    } catch (err) {
      setCodeSaid(describe(t, err));
    }
  };

  const field = (
    name: "name" | "email" | "phone",
    label: string,
    type: "text" | "email" | "tel",
    autocomplete: string,
  ) => (
    <div>
      <label for={id(name)}>{label}</label>
      <input
        id={id(name)}
        name={name}
        // One of text, email, tel: preact types each separately (a union confuses its overloads).
        type={type as "text"}
        autocomplete={autocomplete}
        value={(customer[name] as string | null) ?? ""}
        aria-invalid={errors[name] ? "true" : "false"}
        aria-describedby={errors[name] ? id(name + "-error") : undefined}
        required={name !== "phone"}
        maxLength={LONGEST[name]}
        onInput={(e) => set({ [name]: (e.currentTarget as HTMLInputElement).value })}
      />
      {errors[name] ? (
        <p class="field-error" id={id(name + "-error")}>
          {errors[name]}
        </p>
      ) : null}
    </div>
  );

  return (
    <section>
      <Heading>{t("your_details")}</Heading>
      <Summary ctx={ctx} choice={choice} off={shownCheck?.off} />
      <form onSubmit={submit} noValidate>
        {field("name", t("name"), "text", "name")}
        {field("email", t("email"), "email", "email")}
        {field("phone", t("phone"), "tel", "tel")}
        <QuestionFields t={t} lang={ctx.locale} questions={questions} answers={answers} onAnswers={setAnswers} problem={problem} />
        <label for={id("note")}>{t("note")}</label>
        <textarea
          id={id("note")}
          maxLength={1000}
          value={customer.note}
          onInput={(e) => set({ note: (e.currentTarget as HTMLTextAreaElement).value })}
        />
        <label for={id("coupon")}>{t("coupon")}</label>
        <div class="coupon">
          <input
            id={id("coupon")}
            name="coupon"
            autocomplete="off"
            maxLength={40}
            value={code}
            aria-describedby={codeSaid ? id("coupon-said") : undefined}
            onInput={(e) => {
              setCode((e.currentTarget as HTMLInputElement).value);
              setCodeSaid(null);
            }}
          />
          <button type="button" class="secondary" onClick={() => void checkCode()} disabled={!code.trim()}>
            {t("coupon_check")}
          </button>
        </div>
        {codeSaid ? (
          <p id={id("coupon-said")} role="status">
            {codeSaid}
          </p>
        ) : null}
        {spend ? (
          <label class="check">
            <input type="checkbox" checked={usePoints} onChange={(e) => setUsePoints((e.currentTarget as HTMLInputElement).checked)} />
            {t("points_use", { points: spend.points, value: ctx.fmt.money(spend.value) })}
          </label>
        ) : null}
        <Alert message={error} />
        {taken ? (
          <div>
            <p>{taken.length ? t("nearest") : t("none_near")}</p>
            <ul class="times">
              {taken.map((option) => (
                <li key={option.start}>
                  <button
                    type="button"
                    onClick={() => {
                      setError(null);
                      setTaken(null);
                      props.onChoose({
                        ...choice,
                        option,
                        line: lineFor(choice.offering, option, choice.params),
                      });
                    }}
                  >
                    <OptionLabel ctx={ctx} offering={choice.offering} option={option} />
                    {choice.offering.kind === "timed" ? <small>{ctx.fmt.day(option.date)}</small> : null}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t("book")}
          </button>
          <button type="button" class="secondary" onClick={props.onBack}>
            {t("back")}
          </button>
        </div>
      </form>
    </section>
  );
}
