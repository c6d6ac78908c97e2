/** The words of the console's timeline of the day and its PDF printouts, in English and
 * Simplified Chinese. */

import type { Words } from "../i18n";

const en = {
  nav_timeline: "Timeline",
  timeline_of: "Timeline · {day}",
  timeline_none: "No stylist, table, guide or departure to draw: room types are on the Rooms page.",
  closed: "Closed",
  tl_bookings: "bookings",
  tl_before: "Earlier bookings out of view: {n}. Scroll left to see them.",
  tl_after: "Later bookings out of view: {n}. Scroll right to see them.",
  now: "Now",
  until: "until {time}",
  download_pdf: "Download PDF",
  check_in_not_open: "Check-in opens on the day the booking starts.",
  check_in_early: "Check in early",
};

export const timelineWords: Words<keyof typeof en> = {
  en,
  zh: {
    nav_timeline: "时间轴",
    timeline_of: "时间轴 · {day}",
    timeline_none: "没有可显示的员工、餐桌、导游或班次：房型请看“客房”页面。",
    closed: "不营业",
    tl_bookings: "个预订",
    tl_before: "视图之前还有 {n} 个较早的预订：向左滚动查看。",
    tl_after: "视图之后还有 {n} 个较晚的预订：向右滚动查看。",
    now: "现在",
    until: "至 {time}",
    download_pdf: "下载 PDF",
    check_in_not_open: "入住手续从预订开始当天起办理。",
    check_in_early: "提前办理入住",
  },
};
