/** The words of an order page's steps said plainly (web/console/order_cancel.tsx,
 * web/console/order_revoke.tsx), of the timeline's counts (web/console/timeline.tsx) and of
 * the orders search's outcome, in English and Simplified Chinese. */

import type { Words } from "../i18n";

const en = {
  // Cancelling when there is neither a fee nor anything to give back: one plain sentence,
  // not "no fee; nothing goes back (nothing paid beyond the fee)".
  cancel_nothing: "No cancellation fee. Nothing was paid, so nothing is given back.",
  cancel_no_refund_unpaid: "nothing goes back: nothing was paid.",
  cancel_fee_given_back: "{given} of the fee was given back later.",
  revoke_links_sure: "Revoke {name}'s links? The links in the e-mails sent about this booking stop working; the customer can no longer open it from them.",
  revoke_links_yes: "Yes, revoke the links",
  revoke_links_keep: "Keep the links",
  revoke_links_done: "The customer's links are revoked.",
  tl_booking_1: "booking",
  tl_departure_1: "departure",
  tl_departures: "departures",
};

const zh: Record<keyof typeof en, string> = {
  cancel_nothing: "不收取消费。客人未付款，因此无需退款。",
  cancel_no_refund_unpaid: "无退款：客人未付款。",
  cancel_fee_given_back: "取消费中的 {given} 已在之后退还。",
  revoke_links_sure: "撤销 {name} 的管理链接？有关此预订的邮件中的链接将失效，客人无法再通过它们打开此预订。",
  revoke_links_yes: "确认撤销链接",
  revoke_links_keep: "保留链接",
  revoke_links_done: "已撤销客人的管理链接。",
  tl_booking_1: "个预订",
  tl_departure_1: "个班次",
  tl_departures: "个班次",
};

export const orderPageWords: Words<keyof typeof en> = { en, zh };
