/** The words of moving an appointment or a tour booking to another time on its order's page
 * (web/console/order_move.tsx) and of a stay's new length (web/console/stay_length.tsx), in
 * English and Simplified Chinese. */

import type { Words } from "../i18n";

const en = {
  move_open: "Change the time",
  move_title: "Change the time: {what}",
  move_who: "Who serves it",
  move_anyone: "Anyone",
  move_find: "Show free times",
  move_times: "Free times",
  move_none: "Nothing is free then: try another date.",
  move_to: "Move to {when}.",
  move_to_with: "Move to {when} with {who}.",
  move_table: "Table",
  move_any_table: "Any table",
  move_to_table: "Move to {when} at {who}.",
  move_new_total: "New total {total} (was {was}).",
  move_same_total: "The price stays {total}.",
  move_deposit: "Deposit due {deposit}.",
  move_confirm: "Move it",
  move_keep: "Choose another time",
  move_close: "Close",
  move_done: "Moved to {when}.",
  move_taken: "That time was taken meanwhile; the free times are shown again.",
  move_price_moved: "The price of this move changed meanwhile: here it is now. Nothing was moved.",
  move_stale: "Someone else changed this order meanwhile: it is shown as it now is. Nothing was moved.",
  // A stay made longer or shorter (web/console/stay_length.tsx): the price said first.
  stay_price_title: "The stay's new price",
  stay_price: "For {nights} the order's total becomes {total} (now {was}), deposit due {deposit}.",
  stay_price_yes: "Change at this price",
  stay_price_no: "Keep the stay as it is",
  stay_price_moved: "The price changed meanwhile: here it is now. The stay was not changed.",
};

const zh: Record<keyof typeof en, string> = {
  move_open: "更改时间",
  move_title: "更改时间：{what}",
  move_who: "服务人员",
  move_anyone: "任何人",
  move_find: "查看空闲时间",
  move_times: "空闲时间",
  move_none: "该时间没有空位：请换一个日期。",
  move_to: "改到 {when}。",
  move_to_with: "改到 {when}，由 {who} 服务。",
  move_table: "餐桌",
  move_any_table: "任意餐桌",
  move_to_table: "改到 {when}，{who}。",
  move_new_total: "新的总价 {total}（原为 {was}）。",
  move_same_total: "价格不变：{total}。",
  move_deposit: "应付订金 {deposit}。",
  move_confirm: "确认更改",
  move_keep: "选择其他时间",
  move_close: "关闭",
  move_done: "已改到 {when}。",
  move_taken: "该时间刚被他人预订，已重新显示空闲时间。",
  move_price_moved: "此次更改的价格刚刚有变：以下为现在的价格。预订未作更改。",
  move_stale: "此订单刚被他人修改，现显示其最新状态。时间未作更改。",
  stay_price_title: "住宿的新价格",
  stay_price: "住 {nights}，订单总额变为 {total}（现为 {was}），应付订金 {deposit}。",
  stay_price_yes: "按此价格修改",
  stay_price_no: "保持原住宿不变",
  stay_price_moved: "价格刚刚有变：以下为现在的价格。住宿未作更改。",
};

export const movingWords: Words<keyof typeof en> = { en, zh };
