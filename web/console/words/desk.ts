/** The words of the front desk's no-show question and its undo, a check-in's undo, and of a
 * check-out refused on Today (web/console/order_no_show.tsx, web/console/lines.tsx), in
 * English and Simplified Chinese. */

import type { Words } from "../i18n";

const en = {
  no_show_ask: "Mark {guest} as a no-show?",
  no_show_ask_fee: "The booking's terms keep a no-show fee of {fee}; nothing else is asked.",
  no_show_ask_no_fee: "The booking's terms keep no no-show fee: nothing is asked of the guest.",
  no_show_ask_fee_unknown: "The no-show fee is what the booking's terms keep.",
  no_show_ask_note: "The guest is told that they were missed. A manager can undo it while no fee was charged.",
  no_show_ask_frees: "What is left of the booked time is free for other bookings.",
  no_show_yes: "Yes, mark as no-show",
  no_show_keep: "Keep the booking",
  no_show_undo: "Undo the no-show",
  check_in_undo: "Undo the check-in",
  checkout_owing_today: "The guest still owes {amount}.",
  checkout_owed_back_today: "The guest is owed {amount} back.",
  checkout_to_money: "Settle it on the order's Money panel",
  leave_early_ask: "{guest} is leaving before the stay ends on {date}.",
  leave_early_release_says: "Give back the nights not slept? The stay becomes {n} nights, priced again for them, and the later nights go back on sale.",
  leave_early_release_says_one: "Give back the nights not slept? The stay becomes 1 night, priced again for it, and the later nights go back on sale.",
  leave_early_release: "Give the nights back and check out",
  leave_early_keep: "Keep the nights (still charged) and check out",
  leave_early_not_now: "Not now",
  left_early: "Left early: {guest}",
  held_no_show: "No-show: {guest}",
  held_title: "Nights held, guest not here",
  held_note: "These stays still hold a room of this type tonight: a room is not for sale until their nights are given back.",
  room_unassigned: "No guest",
  contact_either: "An e-mail or a phone: a guest booking by phone may give only their number.",
};

const zh: Record<keyof typeof en, string> = {
  no_show_ask: "将 {guest} 标记为未到店？",
  no_show_ask_fee: "按预订条款收取未到店费用 {fee}，不再收取其他费用。",
  no_show_ask_no_fee: "预订条款不收取未到店费用：无需客人付款。",
  no_show_ask_fee_unknown: "未到店费用按预订条款收取。",
  no_show_ask_note: "系统会通知客人未到店。未收取费用前，经理可以撤销。",
  no_show_ask_frees: "预订时间中尚未过去的部分将开放给其他预订。",
  no_show_yes: "确认标记为未到店",
  no_show_keep: "保留预订",
  no_show_undo: "撤销未到店",
  check_in_undo: "撤销入住",
  checkout_owing_today: "客人仍欠 {amount}。",
  checkout_owed_back_today: "应退还客人 {amount}。",
  checkout_to_money: "在订单的“款项”中处理",
  leave_early_ask: "{guest} 在住宿结束（{date}）前提前离店。",
  leave_early_release_says: "是否退还未入住的晚数？住宿将改为 {n} 晚并按此重新计价，之后的晚数重新开放预订。",
  leave_early_release_says_one: "是否退还未入住的晚数？住宿将改为 1 晚并按此重新计价，之后的晚数重新开放预订。",
  leave_early_release: "退还晚数并办理退房",
  leave_early_keep: "保留晚数（照常收费）并办理退房",
  leave_early_not_now: "暂不",
  left_early: "提前离店：{guest}",
  held_no_show: "未到店：{guest}",
  held_title: "已占用但客人不在的晚数",
  held_note: "这些住宿今晚仍占用此房型的房间：退还晚数前，房间不能出售。",
  room_unassigned: "无客人",
  contact_either: "填写电子邮箱或电话号码：电话预订的客人可以只留号码。",
};

export const deskWords: Words<keyof typeof en> = { en, zh };
