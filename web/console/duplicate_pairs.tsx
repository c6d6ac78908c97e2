/**
 * The possible duplicates as pairs (the Customers page): each flagged record beside the record
 * it was flagged with (`possible_duplicates`), both in full, why they were flagged (a booking's
 * phone was already the other record's: same phone, different e-mail), and, for managers and
 * owners, the merge of the pair either way (`POST /v1/customers/{winner}/merge`). A record
 * flagged with one not on the page is read by its id; a flag whose other record was merged
 * away meanwhile (reading it answers another id) or is gone shows no pair.
 */

import { useEffect, useState } from "preact/hooks";
import { MAY } from "./api";
import { message, useDesk } from "./app";
import { type Customer, customersApi } from "./customers_api";
import { Problem } from "./lines";
import { focusIfLost } from "./focus";

export interface Pair {
  a: Customer;
  b: Customer;
}

/** Each flagged pair once (whichever record flags the other), in the page's order. */
export async function pairsOf(flagged: Customer[], read: (id: string) => Promise<Customer>): Promise<Pair[]> {
  const known = new Map(flagged.map((c) => [c.id, c]));
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  for (const a of flagged) {
    for (const id of a.possible_duplicates) {
      const key = [a.id, id].sort().join(" ");
      if (seen.has(key)) continue;
      seen.add(key);
      let b = known.get(id);
      if (!b) {
        b = await read(id).catch(() => undefined);
        if (b) known.set(id, b);
      }
      if (b && b.id === id && b.id !== a.id) pairs.push({ a, b });
    }
  }
  return pairs;
}

export function DuplicatePairs({ flagged, onMerged }: { flagged: Customer[]; onMerged: () => void }) {
  const { t, api, me } = useDesk();
  const calls = customersApi(api);
  const [pairs, setPairs] = useState<Pair[] | null>(null);
  const [error, setError] = useState("");
  const [done, setDone] = useState("");
  useEffect(() => {
    pairsOf(flagged, calls.get).then(setPairs);
  }, [flagged]);
  // Merged: the pair's row (and the button pressed) goes once the list is read again; the
  // keyboard then goes to the line that says so, not <body> (an outside tester's finding).
  useEffect(() => {
    if (done) focusIfLost(() => document.getElementById("pair-merged"));
  }, [pairs]);
  const merge = async (winner: Customer, loser: Customer) => {
    if (!window.confirm(t("cus_merge_confirm", { other: `${loser.name} (${loser.email || loser.phone})`, name: winner.name }))) return;
    setError("");
    try {
      await calls.merge(winner.id, loser.id);
      setDone(t("cus_pair_merged", { loser: named(loser, winner), winner: named(winner, loser) }));
      onMerged();
    } catch (e) {
      setError(message(t, e));
    }
  };
  if (pairs === null) return <p role="status">{t("loading")}</p>;
  return (
    <>
      <Problem text={error} />
      {done && (
        <p role="status" id="pair-merged">
          {done}
        </p>
      )}
      {pairs.length === 0 ? (
        <p class="muted">{t("cus_duplicates_none")}</p>
      ) : (
        <div class="scroll">
          <table class="results" aria-label={t("cus_duplicates")}>
            <thead>
              <tr>
                <th scope="col">{t("cus_pair_record")}</th>
                <th scope="col">{t("cus_pair_other")}</th>
                <th scope="col">{t("cus_pair_why")}</th>
                {MAY.manage(me.role) && <th scope="col">{t("cus_pair_merge")}</th>}
              </tr>
            </thead>
            <tbody>
              {pairs.map(({ a, b }) => (
                <tr key={`${a.id} ${b.id}`} data-pair={`${a.id} ${b.id}`}>
                  <td>
                    <Side c={a} />
                  </td>
                  <td>
                    <Side c={b} />
                  </td>
                  <td>{why(t, a, b)}</td>
                  {MAY.manage(me.role) && (
                    <td>
                      <button type="button" onClick={() => merge(a, b)}>
                        {t("cus_pair_keep", { name: named(a, b) })}
                      </button>{" "}
                      <button type="button" onClick={() => merge(b, a)}>
                        {t("cus_pair_keep", { name: named(b, a) })}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function why(t: ReturnType<typeof useDesk>["t"], a: Customer, b: Customer): string {
  if (a.phone && a.phone === b.phone && a.email !== b.email) return t("cus_pair_same_phone");
  return t("cus_pair_flagged");
}

function Side({ c }: { c: Customer }) {
  const { t, fmt } = useDesk();
  return (
    <dl class="pair">
      <dt class="sr-only">{t("cus_name")}</dt>
      <dd>
        <a href={`#/customer/${encodeURIComponent(c.id)}`}>{c.name}</a>
      </dd>
      <dt>{t("cus_email")}</dt>
      <dd>{c.email || "—"}</dd>
      <dt>{t("cus_phone")}</dt>
      <dd>{c.phone || "—"}</dd>
      <dt>{t("cus_bookings")}</dt>
      <dd>{c.figures.bookings}</dd>
      <dt>{t("cus_last_visit")}</dt>
      <dd>{c.figures.last_visit ? fmt.dateTime(c.figures.last_visit) : t("cus_never")}</dd>
    </dl>
  );
}

/** A record as its pair's buttons name it: by its name, with its e-mail (else phone) when the
 * other has the same name (an outside tester was offered "Keep Mia Merge" twice). */
function named(c: { name: string; email?: string | null; phone?: string | null }, other: { name: string }): string {
  const same = c.name.trim().toLowerCase() === other.name.trim().toLowerCase();
  const contact = c.email || c.phone;
  return same && contact ? `${c.name} (${contact})` : c.name;
}
