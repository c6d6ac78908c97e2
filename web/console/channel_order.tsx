/**
 * An order's partner, on the order's page: which connection it came through, the partner's
 * reference, the commission it carries and what the partner sold it for (in the partner's
 * currency: the order bills it when that is the business's; managers and owners follow the
 * link to the connection), who the guest pays (the partner on account, or the business),
 * and, for an overbooking conflict, that it holds no room yet, with the way to
 * the Overbookings page where staff move or relocate the guest.
 */

import { MAY, type Order } from "./api";
import { useDesk } from "./app";
import { commission } from "./channel_api";
import { moneyIn } from "./report_series";

export function PartnerNote({ order }: { order: Order }) {
  const { t, fmt, me } = useDesk();
  const partner = order.partner;
  if (!partner && !order.overbooked) return null;
  const money = (minor: number) => moneyIn(fmt.locale, order.currency, minor, order.currency === fmt.currency ? fmt.decimals : undefined);
  return (
    <div class="partner-note">
      {partner && (
        <p>
          {MAY.manage(me.role) ? <a href={`#/channel/${encodeURIComponent(partner.connection_id)}`}>{partner.name}</a> : partner.name}
          {" · "}
          {t("channel_order_reference", { reference: partner.reference })}
          {partner.commission_bp > 0 && <> · {t("channel_order_commission", { rate: commission(fmt.locale, partner.commission_bp), amount: money(partner.commission) })}</>}
          {partner.price != null && partner.price_currency && <> · {t("channel_order_price", { amount: moneyIn(fmt.locale, partner.price_currency, partner.price) })}</>}
          {/* Who the guest pays: the desk must not ask a reseller's guest for what the
              reseller pays on account. */}
          {partner.settlement && <> · {t(partner.settlement === "partner" ? "channel_order_settled_partner" : "channel_order_settled_customer")}</>}
        </p>
      )}
      {order.overbooked && order.status === "cancelled" && <p class="muted">{t("channel_order_relocated")}</p>}
      {order.overbooked && order.status !== "cancelled" && (
        <p class="error" role="note">
          {t("channel_order_overbooked")} <a href="#/overbookings">{t("nav_overbookings")}</a>
        </p>
      )}
    </div>
  );
}
