/**
 * What the settings pages read and send: the tenant as `GET /v1/tenant` shows it (its profile,
 * settings, business details, opening hours and branding), and `PATCH /v1/tenant`'s refusals
 * said in the staff member's words (a field's rule, a zone change that bookings ahead block).
 */

import { ApiError } from "./api";
import type { Key, T } from "./i18n";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** [opens, closes] as "HH:MM" in the business's zone ("24:00" ends a day). */
export type Range = [string, string];

export interface Address {
  lines: string[];
  city: string;
  postcode: string;
  country: string;
}

export interface BusinessDetails {
  legal_name: string;
  email: string;
  phone: string;
  address: Address;
  website: string;
  tax_id: string;
  check_in_time: string; // "HH:MM" on the business's clock (15:00 if never set)
  check_out_time: string; // (11:00 if never set)
}

export interface OpeningHours {
  weekly: Record<Weekday, Range[]>;
  closed_dates: string[];
}

export interface Branding {
  primary_colour: string;
  logo_url: string;
  widget_language: "" | "en" | "zh-Hans";
}

export interface TenantProfile {
  name: string;
  timezone: string;
  locale: string;
  version: number;
  settings: { hold_minutes: number; widget_origins: string[]; booking_page: string };
  business: BusinessDetails;
  opening_hours: OpeningHours;
  branding: Branding;
}

/** The IANA zones the browser knows, with the business's own first if the list lacks it. */
export function zoneNames(current: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : [];
  return zones.includes(current) ? zones : [current, ...zones];
}

/** WCAG 2's contrast of white text on "#rrggbb" (the API refuses a brand colour under 4.5). */
export function contrastWithWhite(colour: string): number | null {
  if (!/^#[0-9a-fA-F]{6}$/.test(colour)) return null;
  const channel = (i: number) => {
    const c = parseInt(colour.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

/** A refusal's own words for the codes a settings form meets; null: say the API's message. */
export function refusalText(t: T, error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const d = error.details;
  const weekday = /^opening_hours\.weekly\.(\w+)$/.exec(String(d.field ?? ""))?.[1];
  switch (error.code) {
    case "bookings_ahead":
      return t("err_bookings_ahead", { count: ((d.orders as string[] | undefined) ?? []).length });
    case "slot_grid_misfits_zone":
      return t("err_grid_misfits_zone", { resources: ((d.resources as string[] | undefined) ?? []).join(", ") });
    case "brand_colour_low_contrast":
      return t("err_low_contrast", { contrast: String(d.contrast ?? "?"), minimum: String(d.minimum ?? 4.5) });
    case "opening_range_backwards":
    case "opening_ranges_overlap":
    case "opening_ranges_out_of_order":
      return t(`err_${error.code}` as Key, { day: weekday ? t(`hours_${weekday}` as Key) : "" });
    case "invalid_brand_colour":
    case "invalid_logo_url":
    case "invalid_contact_email":
    case "invalid_contact_phone":
    case "invalid_website":
    case "invalid_tax_id":
    case "invalid_check_in_time":
    case "invalid_check_out_time":
    case "invalid_address":
    case "incomplete_address":
    case "invalid_address_country":
    case "invalid_timezone":
      return t(`err_${error.code}` as Key);
    default:
      return null;
  }
}

/** The orders a refusal names (a zone change blocked by bookings ahead), to link each. */
export function namedOrders(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== "bookings_ahead") return [];
  return (error.details.orders as string[] | undefined) ?? [];
}
