/**
 * An offering's price: its basis (per booking, person, night, person and night, or started
 * hour; only those the offering's kind has), the amount typed in the tenant's currency (its
 * decimals from the API, sent as minor units), the tax rate and whether prices include it. Its
 * rules (weekday and season changes, the rate calendar) have a section of their own
 * (price_rules_editor.tsx).
 */

import { useDesk } from "./app";
import { BASES_OF, type Basis, type Kind, type Pricing } from "./catalog_api";
import { DecimalField } from "./catalog_parts";
import type { Key } from "./i18n";

export function PricingEditor({ kind, value, onChange }: { kind: Kind; value: Pricing; onChange: (p: Pricing) => void }) {
  const { t } = useDesk();
  const set = (patch: Partial<Pricing>) => onChange({ ...value, ...patch });
  return (
    <>
      <label>
        {t("cat_basis")}
        <select value={value.basis} onChange={(e) => set({ basis: (e.currentTarget as HTMLSelectElement).value as Basis })}>
          {/* Only what the kind's price may count; one saved before that rule is still shown. */}
          {[...BASES_OF[kind], ...(BASES_OF[kind].includes(value.basis) ? [] : [value.basis])].map((b) => (
            <option key={b} value={b}>
              {t(`cat_basis_${b}` as Key)}
            </option>
          ))}
        </select>
      </label>
      <DecimalField label={t("cat_amount")} value={value.amount} money onChange={(amount) => set({ amount })} />
      <DecimalField label={t("cat_tax")} value={value.tax_bp} places={2} suffix="%" onChange={(tax_bp) => set({ tax_bp })} />
      <label>
        {t("cat_tax_mode")}
        <select value={value.tax_inclusive ? "in" : "ex"} onChange={(e) => set({ tax_inclusive: (e.currentTarget as HTMLSelectElement).value === "in" })}>
          <option value="in">{t("cat_tax_inclusive")}</option>
          <option value="ex">{t("cat_tax_exclusive")}</option>
        </select>
      </label>
    </>
  );
}
