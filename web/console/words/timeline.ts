/** The words of the console's timeline of the day and its PDF printouts, in English and
 * Simplified Chinese. */

import type { Words } from "../i18n";

const en = {
  nav_timeline: "Timeline",
  timeline_of: "Timeline · {day}",
  timeline_none: "No stylist, table, guide or departure to draw: room types are on the Rooms page.",
  closed: "Closed",
  tl_bookings: "bookings",
  now: "Now",
  until: "until {time}",
  download_pdf: "Download PDF",
};

export const timelineWords: Words<keyof typeof en> = {
  en,
  zh: {
    nav_timeline: "时间轴",
    timeline_of: "时间轴 · {day}",
    timeline_none: "没有可显示的员工、餐桌、导游或班次：房型请看“客房”页面。",
    closed: "不营业",
    tl_bookings: "个预订",
    now: "现在",
    until: "至 {time}",
    download_pdf: "下载 PDF",
  },
};
