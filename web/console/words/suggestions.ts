/** The words of a customer's suggestions (what others who booked the same also booked, and
 * the customer's usual staff member and time), in English and Simplified Chinese. */

import type { Words } from "../i18n";

const en = {
  suggest_title: "Suggestions",
  suggest_none: "Nothing to suggest yet: too few customers booked the same things.",
  suggest_reason: "Booked by {percent} of customers who booked {because} ({support} of {base}).",
  suggest_usual_staff: "Usually with {name} ({times} of {of} bookings).",
  suggest_usual_time: "Usually at {time} ({times} of {of} bookings with a time).",
};

export const suggestionWords: Words<keyof typeof en> = {
  en,
  zh: {
    suggest_title: "推荐",
    suggest_none: "暂无推荐：预订相同项目的客户还太少。",
    suggest_reason: "预订了{because}的客户中有 {percent} 也预订了此项（{base} 位中的 {support} 位）。",
    suggest_usual_staff: "常约：{name}（{of} 次预订中的 {times} 次）。",
    suggest_usual_time: "常在 {time}（{of} 次有时间的预订中的 {times} 次）。",
  },
};
