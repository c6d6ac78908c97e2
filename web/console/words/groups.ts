/** The words of the Groups page's outcomes and questions (web/console/groups*.tsx), in English
 * and Simplified Chinese: a keyboard and screen-reader tester heard nothing after "Hold the
 * rooms", "Book from the block" or "Release the rooms left", the release was done unasked,
 * and a date the API could not read was said as "from (A date is written YYYY-MM-DD)". */

import type { Words } from "../i18n";

const en = {
  block_held_said: "Rooms held for {name}.",
  block_booked_said: "{name} is booked: {id}",
  block_released_said: "The rooms left of {name} are released and back on sale.",
  block_release_sure: "Release the rooms of {name} not picked up? They go back on sale; this cannot be undone.",
  block_release_yes: "Yes, release them",
  block_release_keep: "Keep the block",
  block_not_done: "Nothing was held. {problems}.",
  block_date_unread: "{field}: not a date that can be read; choose a day in the calendar (a year has four digits)",
  block_release_late: "{field}: the rooms must be released by the block's last night",
  block_first_past: "{field}: that night has passed",
  block_release_past: "{field}: that day has passed",
  block_guests: "Guests booked from the block",
  block_guests_none: "Nobody has been booked from this block yet.",
  block_guest_rooms: "Room",
  block_guest_balance: "Still owed",
  block_guest_status: "Status",
  block_guests_more: "More guests than one page shows: find the rest under Orders.",
};

export const groupWords: Words<keyof typeof en> = {
  en,
  zh: {
    block_held_said: "已为{name}保留房间。",
    block_booked_said: "{name}已预订：{id}",
    block_released_said: "{name}剩余的房间已释放，重新开放销售。",
    block_release_sure: "释放{name}尚未被预订的房间？这些房间将重新开放销售，此操作无法撤销。",
    block_release_yes: "是，释放房间",
    block_release_keep: "保留配额",
    block_guests: "从配额预订的客人",
    block_guests_none: "尚无客人从此配额预订。",
    block_guest_rooms: "房间",
    block_guest_balance: "尚欠",
    block_guest_status: "状态",
    block_guests_more: "客人多于一页可显示的数量：其余请在“订单”中查找。",
    block_not_done: "未保留任何房间。{problems}。",
    block_date_unread: "{field}：无法识别该日期，请在日历中选择日期（年份为四位数）",
    block_release_late: "{field}：须不晚于配额的最后一晚释放房间",
    block_first_past: "{field}：该晚已经过去",
    block_release_past: "{field}：该日期已经过去",
  },
};
