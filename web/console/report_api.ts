/**
 * The reports' routes as the console calls them, typed as the reports contract (issue 16)
 * says: the figures (`GET /v1/reports/figures`), the exports (`POST`/`GET /v1/exports`) and the
 * morning summary's settings (`GET`/`PUT /v1/reports/summary`). Money is integers in minor
 * units per currency; every date is a local date in the business's zone.
 */

import type { Api } from "./api";

export type Basis = "booked" | "service" | "paid";
export type Group = "day" | "week" | "month";
export type Dimension = "channel" | "offering" | "resource" | "staff";

export interface Money {
  gross: number;
  discounts: number;
  refunds: number;
  net: number;
  tax: number;
  payments: Record<string, number>;
  adr: number | null;
  revpar: number | null;
}

export interface Figures {
  bookings: number;
  cancellations: number;
  no_shows: number;
  guests: number;
  party_size_average: number | null;
  lead_days_average: number | null;
  new_customers: number;
  returning_customers: number;
  units_sold: number;
  units_available: number;
  occupancy_bp: number | null;
  /** A total's occupancy per kind of resource (nightly, timed, session): {} on other rows. */
  occupancy_by_kind?: Record<string, number>;
  money: Record<string, Money>;
}

export interface FigureRow {
  period: string;
  key: string | null;
  label: string | null;
  figures: Figures;
}

export interface Report {
  basis: Basis;
  from: string;
  to: string;
  group: Group;
  by: Dimension | null;
  zone: string;
  updated_at: string | null;
  rows: FigureRow[];
  totals: Figures;
  previous?: { from: string; to: string; totals: Figures };
}

export interface ReportQuery {
  basis: Basis;
  from: string;
  to: string;
  group: Group;
  by?: Dimension | undefined;
  compare?: boolean;
}

export function figures(api: Api, q: ReportQuery): Promise<Report> {
  return api.get<Report>("/v1/reports/figures", {
    basis: q.basis,
    from: q.from,
    to: q.to,
    group: q.group,
    by: q.by,
    compare: q.compare ? "previous" : undefined,
  });
}

export type ExportKind = "orders" | "customers" | "payments" | "figures";
export type ExportFormat = "csv" | "xlsx";

export interface ExportJob {
  id: string;
  kind: ExportKind;
  format: ExportFormat;
  from: string | null;
  to: string | null;
  status: "queued" | "running" | "done" | "failed" | "withdrawn"; // withdrawn: by a customer's erase
  created_at: string;
  rows?: number | null;
  finished_at?: string | null;
  url?: string | null;
  expires_at?: string | null;
  reason?: string | null; // why it failed or was withdrawn, in a sentence
}

export function createExport(
  api: Api,
  body: { kind: ExportKind; format: ExportFormat; from?: string; to?: string },
): Promise<ExportJob> {
  return api.post<ExportJob>("/v1/exports", body); // the Api gives every POST its Idempotency-Key
}

export function exportJob(api: Api, id: string): Promise<ExportJob> {
  return api.get<ExportJob>(`/v1/exports/${encodeURIComponent(id)}`);
}

/** The recent exports, newest first (the latest 20, without their links). */
export async function recentExports(api: Api): Promise<ExportJob[]> {
  return (await api.get<{ exports: ExportJob[] }>("/v1/exports")).exports;
}

export interface SummarySettings {
  enabled: boolean;
  recipients: string[];
  hour: number;
}

export function summarySettings(api: Api): Promise<SummarySettings> {
  return api.get<SummarySettings>("/v1/reports/summary");
}

export function saveSummarySettings(api: Api, body: SummarySettings): Promise<SummarySettings> {
  return api.put<SummarySettings>("/v1/reports/summary", body);
}
