/**
 * A customer's privacy (`#/privacy?customer=<e-mail or phone>`, managers and owners): find the
 * customer by the contact they booked with, download everything held about them
 * (`POST /v1/customers/{contact}/export`: a JSON file behind a link that expires), or erase
 * them (`POST /v1/customers/{contact}/erase`, owners only, after typing the contact again;
 * sent again while the answer says more bookings are left).
 *
 * A phone names the customer whose record holds it: one is shown and acted on by their id;
 * several are listed for staff to choose one (never a guess); none: the bookings that carry
 * it, and the API names the customer their e-mail does.
 *
 * `CustomerPrivacy` is the block itself, for the customer's page to mount with the customer's
 * e-mail; `PrivacyPage` puts a search in front of it.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, type OrderPage } from "./api";
import { useDesk } from "./app";
import { type Customer, customersApi } from "./customers_api";
import { Problem, Status, useAction } from "./lines";

interface Exported {
  customer_id: string;
  url: string;
  expires_at: string;
  orders: number;
  size: number;
}

interface Erasure {
  customer_id: string;
  done: boolean;
  orders: number;
  remaining: number;
  records: number;
  invoices_kept: number;
}

const NO_ORDERS: OrderPage = { data: [], next_cursor: null, sorted_by: "created" };
const MAX_ROUNDS = 200; // 25 bookings a round: 5,000 bookings, far past any one customer

function customerPath(contact: string, action: "export" | "erase"): string {
  return `/v1/customers/${encodeURIComponent(contact.trim())}/${action}`;
}

function bytes(size: number): string {
  return size < 1024 ? `${size} B` : size < 1024 * 1024 ? `${(size / 1024).toFixed(1)} KB` : `${(size / 1048576).toFixed(1)} MB`;
}

/** Who the typed contact names (services/privacy.py): an e-mail or an id is one customer; a
 * phone is the customer whose record holds it, and a phone on several records is a choice
 * for staff (the API refuses to guess: 409 `phone_names_several_customers`). */
interface Named {
  contact: string; // what the export and the erase are sent for: the chosen customer's id
  owners: Customer[]; // the records a phone is on (several: choose one)
  orders: OrderPage;
}

function isPhone(contact: string): boolean {
  return !contact.includes("@") && !contact.startsWith("cus_");
}

export function PrivacyPage({ customer }: { customer: string }) {
  const desk = useDesk();
  const { t, api } = desk;
  const [typed, setTyped] = useState(customer);
  const [found, setFound] = useState<Named | null>(null);
  const { busy, error, run } = useAction();

  /** A customer chosen by id: their record (none once erased: the id alone). */
  const byId = async (contact: string): Promise<Customer[]> => {
    if (!contact.startsWith("cus_")) return [];
    try {
      return [await customersApi(api).get(contact)];
    } catch {
      return [];
    }
  };
  const find = async (contact: string) => {
    setFound(null);
    await run(async () => {
      const owners = isPhone(contact) ? (await customersApi(api).search(contact)).data : await byId(contact);
      if (owners.length > 1) {
        setFound({ contact, owners, orders: NO_ORDERS });
        return;
      }
      const one = owners[0];
      const email = one ? one.email : contact.includes("@") ? contact.toLowerCase() : "";
      const query = email ? { email } : contact.startsWith("cus_") ? null : { phone: contact };
      const orders = query ? await api.search(query) : NO_ORDERS;
      setFound({ contact: one ? one.id : contact, owners, orders });
    });
  };
  useEffect(() => {
    if (customer) void find(customer);
  }, [customer]);

  const submit = (e: Event) => {
    e.preventDefault();
    const contact = typed.trim();
    if (contact) desk.go(`#/privacy?customer=${encodeURIComponent(contact)}`);
  };
  return (
    <section aria-labelledby="privacy-title">
      <h1 id="privacy-title">{t("prv_title")}</h1>
      <p class="muted">{t("prv_intro")}</p>
      <form onSubmit={submit} class="inline">
        <label>
          {t("prv_contact")}
          <input
            type="text"
            name="customer"
            autoComplete="off"
            value={typed}
            onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={busy || !typed.trim()}>
          {t("prv_find")}
        </button>
      </form>
      <Problem text={error} />
      {customer && found && found.owners.length > 1 && <ChooseOwner owners={found.owners} />}
      {customer && found && found.owners.length <= 1 && (
        <>
          {found.owners.length === 1 && (
            <p role="status">
              {t("prv_customer_is", { name: found.owners[0].name, email: found.owners[0].email || found.owners[0].id })}
            </p>
          )}
          <p role="status">
            {found.orders.data.length
              ? t("prv_orders", { count: String(found.orders.data.length) })
              : t("prv_no_orders")}
          </p>
          {found.orders.data.length > 0 && (
            <ul>
              {found.orders.data.map((o) => (
                <li key={o.id}>
                  <a href={`#/order/${encodeURIComponent(o.id)}`}>{o.id}</a> · {o.customer.name} · <Status status={o.status} />
                </li>
              ))}
            </ul>
          )}
          <CustomerPrivacy contact={found.contact} />
        </>
      )}
    </section>
  );
}

/** A phone on several customers' records: staff choose the one the request is about. */
function ChooseOwner({ owners }: { owners: Customer[] }) {
  const { t } = useDesk();
  return (
    <div role="group" aria-labelledby="prv-several">
      <p id="prv-several" role="status">
        {t("prv_phone_several", { count: String(owners.length) })}
      </p>
      <ul>
        {owners.map((c) => (
          <li key={c.id}>
            <a href={`#/privacy?customer=${encodeURIComponent(c.id)}`}>
              {t("prv_choose", { name: c.name || c.id, email: c.email || c.phone })}
            </a>{" "}
            <span class="muted">{c.id}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Export and erase one customer, named by their e-mail (or phone, or id). */
export function CustomerPrivacy({ contact }: { contact: string }) {
  const { t, api, fmt, me } = useDesk();
  const exporting = useAction();
  const [exported, setExported] = useState<Exported | null>(null);
  const download = useRef<HTMLAnchorElement>(null);
  useEffect(() => setExported(null), [contact]);
  useEffect(() => download.current?.focus(), [exported]);

  const doExport = () =>
    exporting.run(async () => setExported(await api.post<Exported>(customerPath(contact, "export"))));

  return (
    <div class="privacy">
      <p>
        <button type="button" onClick={doExport} disabled={exporting.busy}>
          {t("prv_export")}
        </button>
      </p>
      <Problem text={exporting.error} />
      {exported && (
        <p role="status">
          {t("prv_export_ready", { orders: String(exported.orders), size: bytes(exported.size) })}{" "}
          <a ref={download} href={exported.url} download={`${exported.customer_id}.json`}>
            {t("prv_download")}
          </a>{" "}
          <span class="muted">{t("prv_link_expires", { time: fmt.dateTime(exported.expires_at) })}</span>
        </p>
      )}
      {me.role === "owner" ? <EraseCustomer contact={contact} /> : <p class="muted">{t("prv_owner_only")}</p>}
    </div>
  );
}

function EraseCustomer({ contact }: { contact: string }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [confirm, setConfirm] = useState("");
  const [progress, setProgress] = useState<Erasure | null>(null);
  const [open, setOpen] = useState<string[]>([]); // the bookings that stop the erase
  useEffect(() => {
    setConfirm("");
    setProgress(null);
    setOpen([]);
  }, [contact]);

  const rounds = async () => {
    // Each answer erases a batch of bookings; `done` false: send it again for the rest.
    let total = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const got = await api.post<Erasure>(customerPath(contact, "erase"), { confirm: confirm.trim() });
      total += got.orders;
      setProgress({ ...got, orders: total });
      if (got.done) return;
    }
  };
  const erase = (e: Event) => {
    e.preventDefault();
    setOpen([]);
    void run(() =>
      rounds().catch((err: unknown) => {
        if (err instanceof ApiError && err.code === "customer_has_open_bookings") {
          setOpen(((err.details.order_ids as string[] | undefined) ?? []).filter((x) => typeof x === "string"));
        }
        throw err; // said by the Problem below, the bookings listed under it
      }),
    );
  };
  const said = progress
    ? progress.done
      ? progress.orders || progress.records
        ? t("prv_erased", {
            orders: String(progress.orders),
            records: String(progress.records),
            kept: String(progress.invoices_kept),
          })
        : t("prv_already")
      : t("prv_erasing", { remaining: String(progress.remaining) })
    : "";
  return (
    <form onSubmit={erase} class="danger" aria-labelledby="erase-title">
      <h2 id="erase-title">{t("prv_erase_title")}</h2>
      <p>{t("prv_erase_text")}</p>
      <label>
        {t("prv_confirm")}
        <input
          type="text"
          name="confirm"
          autoComplete="off"
          value={confirm}
          onInput={(e) => setConfirm((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <button type="submit" class="danger" disabled={busy || !confirm.trim()}>
        {t("prv_erase")}
      </button>
      <Problem text={error} />
      {open.length > 0 && (
        <div class="open-bookings">
          <p>{t("prv_open_bookings")}</p>
          <ul>
            {open.map((id) => (
              <li key={id}>
                <a href={`#/order/${encodeURIComponent(id)}`}>{id}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {said && <p role="status">{said}</p>}
    </form>
  );
}
