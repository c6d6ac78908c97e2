/**
 * An order's instalment plan in its Money panel (`plan` of `GET /v1/orders/{id}/payments`):
 * each payment's local date, amount and whether what the order keeps covers it. The first is
 * taken at booking; the others are charged on the saved card when due (or sent as a link).
 */

import { useDesk } from "./app";

export interface Instalment {
  due: string;
  amount: number;
  paid: boolean;
}

export function InstalmentPlan({ plan }: { plan: Instalment[] }) {
  const { t, fmt } = useDesk();
  if (plan.length === 0) return null;
  return (
    <table class="records plan">
      <caption>{t("money_plan")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("money_plan_due")}</th>
          <th scope="col">{t("money_amount")}</th>
          <th scope="col">{t("money_plan_state")}</th>
        </tr>
      </thead>
      <tbody>
        {plan.map((i) => (
          <tr key={i.due}>
            <td>{fmt.day(i.due)}</td>
            <td class="num">{fmt.money(i.amount)}</td>
            <td>{i.paid ? t("money_plan_paid") : t("money_plan_open")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
