/** The words a desk reads when another desk (or the guest online) changed what it was looking
 * at meanwhile: a row's step on Today (web/console/today_stale.ts), the cancel form's terms
 * (web/console/order_cancel.tsx) and New booking's option just taken (web/console/new_booking.tsx),
 * in English and Simplified Chinese. An outside tester played two desks at once: the API refused
 * rightly each time, and the console said nothing, or said the old terms. */

import type { Words } from "../i18n";

const en = {
  stale_line: "{guest}'s booking {happened}: {nothing}.",
  stale_line_other: "{guest}'s booking changed meanwhile ({refusal}): {nothing}.",
  stale_cancelled: "was cancelled meanwhile",
  stale_checked_in: "was checked in meanwhile",
  stale_completed: "was checked out meanwhile",
  stale_no_show: "was marked a no-show meanwhile",
  stale_expired: "ran out meanwhile (the hold expired)",
  stale_confirmed: "was set back to confirmed meanwhile",
  stale_held: "is not confirmed yet",
  stale_not_check_in: "nothing was checked in",
  stale_not_complete: "nothing was checked out",
  stale_not_no_show: "no one was marked a no-show",
  stale_not_confirm: "nothing was confirmed",
  stale_not_undo: "nothing was undone",
  cancel_stale: "This booking changed meanwhile: here are the terms now. Nothing was cancelled.",
  cancel_stale_paid: "This booking changed meanwhile (a payment came in): here are the terms now. Nothing was cancelled.",
  cancel_stale_refunded:
    "This booking changed meanwhile (money was given back): here are the terms now. Nothing was cancelled.",
  new_taken_room: "That room was just booked by someone else; here is what is free now.",
  new_taken_time: "That time was just booked by someone else; here is what is free now.",
  new_taken_seats: "Those seats were just booked by someone else; here is what is free now.",
  new_refused_again: "The free options are shown again as they are now.",
};

export const meanwhileWords: Words<keyof typeof en> = {
  en,
  zh: {
    stale_line: "{guest}的预订{happened}：{nothing}。",
    stale_line_other: "{guest}的预订在此期间已有更改：{refusal}；{nothing}。",
    stale_cancelled: "已在此期间被取消",
    stale_checked_in: "已在此期间办理入住",
    stale_completed: "已在此期间办理退房",
    stale_no_show: "已在此期间被标记为未到店",
    stale_expired: "已在此期间过期（保留已到期）",
    stale_confirmed: "已在此期间恢复为已确认",
    stale_held: "尚未确认",
    stale_not_check_in: "未办理入住",
    stale_not_complete: "未办理退房",
    stale_not_no_show: "未标记为未到店",
    stale_not_confirm: "未作确认",
    stale_not_undo: "未撤销任何操作",
    cancel_stale: "此预订在此期间已有更改：以下是现在的取消条款。本次未取消任何内容。",
    cancel_stale_paid: "此预订在此期间已有更改（收到了一笔付款）：以下是现在的取消条款。本次未取消任何内容。",
    cancel_stale_refunded: "此预订在此期间已有更改（已退还款项）：以下是现在的取消条款。本次未取消任何内容。",
    new_taken_room: "该房间刚被他人订走；以下是现在仍可预订的选项。",
    new_taken_time: "该时间刚被他人订走；以下是现在仍可预订的选项。",
    new_taken_seats: "这些座位刚被他人订走；以下是现在仍可预订的选项。",
    new_refused_again: "已按现在的情况重新显示可预订的选项。",
  },
};
