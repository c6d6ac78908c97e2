/** The words of a customer's privacy: export everything held about them, erase them (the
 * Privacy page, and the block the customer page mounts), in English and Simplified Chinese. */

import type { Words } from "../i18n";

const en = {
  nav_privacy: "Privacy",
  prv_title: "A customer's data",
  prv_intro: "Find a customer by the e-mail (or phone) they booked with, then download everything held about them, or erase them.",
  prv_contact: "Customer's e-mail or phone",
  prv_find: "Find",
  prv_orders: "Bookings under this contact: {count}",
  prv_no_orders: "No booking under this contact.",
  prv_export: "Export (download JSON)",
  prv_export_ready: "The export is ready: {orders} bookings, {size}.",
  prv_download: "Download the export",
  prv_link_expires: "The link works until {time}.",
  prv_erase_title: "Erase this customer",
  prv_erase_text: "Their bookings stay for the books with the name, contacts, answers and notes removed; their record, notes, points, events and exports are deleted; issued invoices are kept as the law requires. This cannot be undone. Bookings still to come must be cancelled first.",
  prv_confirm: "Type their e-mail (or phone) again to confirm",
  prv_erase: "Erase the customer",
  prv_erasing: "Erasing… {remaining} bookings left",
  prv_erased: "Erased. Bookings anonymised: {orders}; items deleted: {records}; invoices kept: {kept}.",
  prv_already: "Nothing left to erase for this customer.",
  prv_owner_only: "Only an owner can erase a customer.",
  prv_customer_is: "The customer: {name} ({email}).",
  prv_phone_several: "This phone is on {count} customers' records. Choose the customer this request is about:",
  prv_choose: "{name} ({email})",
  prv_open_bookings: "Cancel these bookings first, or wait until they are over:",
};

export const privacyWords: Words<keyof typeof en> = {
  en,
  zh: {
    nav_privacy: "隐私",
    prv_title: "客人资料",
    prv_intro: "按客人预订时使用的电子邮箱（或电话）查找，然后下载所保存的全部资料，或删除该客人。",
    prv_contact: "客人的电子邮箱或电话",
    prv_find: "查找",
    prv_orders: "此联系方式下的预订：{count} 个",
    prv_no_orders: "此联系方式下没有预订。",
    prv_export: "导出（下载 JSON）",
    prv_export_ready: "导出已完成：{orders} 个预订，{size}。",
    prv_download: "下载导出文件",
    prv_link_expires: "链接在 {time} 前有效。",
    prv_erase_title: "删除此客人",
    prv_erase_text: "其预订会保留用于记账，但姓名、联系方式、问题回答和备注将被删除；客人档案、备注、积分、事件和导出文件将被删除；已开具的发票按法律要求保留。此操作无法撤销。尚未结束的预订须先取消。",
    prv_confirm: "请再次输入其电子邮箱（或电话）以确认",
    prv_erase: "删除客人",
    prv_erasing: "正在删除…… 还剩 {remaining} 个预订",
    prv_erased: "已删除：{orders} 个预订已匿名化，{records} 项资料已删除，{kept} 张发票已保留。",
    prv_already: "此客人已没有可删除的资料。",
    prv_owner_only: "只有所有者可以删除客人。",
    prv_customer_is: "客人：{name}（{email}）。",
    prv_phone_several: "此电话号码在 {count} 位客人的记录上。请选择本次请求所针对的客人：",
    prv_choose: "{name}（{email}）",
    prv_open_bookings: "请先取消以下预订，或等它们结束后再删除：",
  },
};
