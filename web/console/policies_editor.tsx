/**
 * An offering's deposit (none, a percentage, a fixed amount, or all of it; authorised now and
 * captured later; a no-show fee), when the balance after it is collected and what happens if
 * it never is, or an instalment plan instead, and its cancellation tiers (each at its own notice in hours,
 * refunding a share of what was paid). Percentages are typed as "20" or "12.5" and sent as
 * basis points; amounts in the tenant's currency, sent as minor units.
 */

import { useDesk } from "./app";
import type { Deposit, DepositKind, RefundTier, UnpaidRule } from "./catalog_api";
import { Check, DecimalField, NumberField } from "./catalog_parts";
import type { Key } from "./i18n";

const DEPOSITS: DepositKind[] = ["none", "percent", "fixed", "full"];

/** A new deposit kind: its value from zero, and a plan no longer kept when there is a deposit
 * (its field is hidden then, and the API refuses a plan with a deposit). */
export function kindChanged(kind: DepositKind): Partial<Deposit> {
  return kind === "none" ? { kind, value: 0 } : { kind, value: 0, instalments: 1 };
}

export function DepositEditor({ value, onChange }: { value: Deposit; onChange: (d: Deposit) => void }) {
  const { t } = useDesk();
  const set = (patch: Partial<Deposit>) => onChange({ ...value, ...patch });
  return (
    <>
      <label>
        {t("cat_deposit")}
        <select value={value.kind} onChange={(e) => set(kindChanged((e.currentTarget as HTMLSelectElement).value as DepositKind))}>
          {DEPOSITS.map((k) => (
            <option key={k} value={k}>
              {t(`cat_deposit_${k}` as Key)}
            </option>
          ))}
        </select>
      </label>
      {value.kind === "percent" && <DecimalField key="percent" label={t("cat_deposit_share")} value={value.value} places={2} suffix="%" onChange={(v) => set({ value: v })} />}
      {value.kind === "fixed" && <DecimalField key="fixed" label={t("cat_deposit_amount")} value={value.value} money onChange={(v) => set({ value: v })} />}
      <DecimalField label={t("cat_no_show_fee")} value={value.no_show_fee} money onChange={(no_show_fee) => set({ no_show_fee })} />
      <Check label={t("cat_manual_capture")} checked={value.manual_capture} onChange={(manual_capture) => set({ manual_capture })} />
      <CollectLater value={value} set={set} />
    </>
  );
}

/** The balance's date and rule, or an instalment plan (the API refuses both at once). */
function CollectLater({ value, set }: { value: Deposit; set: (patch: Partial<Deposit>) => void }) {
  const { t } = useDesk();
  const days = value.balance_due_days_before ?? null;
  const count = value.instalments ?? 1;
  return (
    <>
      {count <= 1 && (
        <Check label={t("cat_balance_due")} checked={days !== null} onChange={(on) => set({ balance_due_days_before: on ? 7 : null })} />
      )}
      {days !== null && <NumberField label={t("cat_balance_days")} value={days} min={0} max={365} onChange={(n) => set({ balance_due_days_before: n })} />}
      {(days !== null || count > 1) && (
        <label>
          {t("cat_if_unpaid")}
          <select value={value.if_unpaid ?? "leave"} onChange={(e) => set({ if_unpaid: (e.currentTarget as HTMLSelectElement).value as UnpaidRule })}>
            <option value="leave">{t("cat_if_unpaid_leave")}</option>
            <option value="cancel">{t("cat_if_unpaid_cancel")}</option>
          </select>
        </label>
      )}
      {days === null && value.kind === "none" && (
        <NumberField label={t("cat_instalments")} value={count} min={1} max={12} onChange={(instalments) => set(instalments > 1 ? { instalments, balance_due_days_before: null } : { instalments })} />
      )}
      {count > 1 && (
        <NumberField label={t("cat_instalment_months")} value={value.instalment_months ?? 1} min={1} max={12} onChange={(instalment_months) => set({ instalment_months })} />
      )}
    </>
  );
}

export function CancellationEditor({ value, onChange }: { value: RefundTier[]; onChange: (r: RefundTier[]) => void }) {
  const { t } = useDesk();
  const set = (i: number, patch: Partial<RefundTier>) => onChange(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div class="tiers wide">
      <p class="muted">{t("cat_tiers_note")}</p>
      {value.map((tier, i) => (
        <div class="row" key={i} role="group" aria-label={t("cat_tier_n", { n: i + 1 })}>
          <NumberField label={t("cat_hours_before")} value={tier.hours_before} min={0} max={24 * 366} onChange={(hours_before) => set(i, { hours_before })} />
          <DecimalField label={t("cat_refund")} value={tier.refund_bp} places={2} suffix="%" onChange={(refund_bp) => set(i, { refund_bp })} />
          {value.length > 1 && (
            <button type="button" class="secondary" onClick={() => onChange(value.filter((_, j) => j !== i))}>
              {t("cat_remove_tier", { n: i + 1 })}
            </button>
          )}
        </div>
      ))}
      {value.length < 10 && (
        <button type="button" class="secondary" onClick={() => onChange([...value, { hours_before: (value[value.length - 1]?.hours_before ?? 0) + 24, refund_bp: 10000 }])}>
          {t("cat_add_tier")}
        </button>
      )}
    </div>
  );
}
