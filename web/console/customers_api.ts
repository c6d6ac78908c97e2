/** The customers' routes as the console calls them (`/v1/customers`). */

import type { Api, Order } from "./api";

export interface CountOf {
  id: string;
  count: number;
}

export interface Note {
  id: string;
  text: string;
  at: string;
  by: string;
  by_name: string;
}

export interface Customer {
  id: string;
  version: number;
  name: string;
  email: string;
  phone: string;
  locale: string;
  language: string;
  birthday: string;
  address: { lines: string[]; city: string; postcode: string; country: string };
  preferences: Record<string, string>;
  tags: string[];
  consent: { granted: boolean; source: string; at: string } | null;
  figures: {
    bookings: number;
    visits: number;
    spend: number;
    cancellations: number;
    no_shows: number;
    first_visit: string | null;
    last_visit: string | null;
    usual_offerings: CountOf[];
    usual_staff: CountOf[];
    usual_hours: CountOf[];
  };
  merged_from: string[];
  possible_duplicates: string[];
  /** The mail service refused the e-mail for good (a permanent bounce); null: it did not. */
  email_bounced?: { email: string; at: string } | null;
  notes: Note[] | null;
}

export interface CustomerPage {
  data: Customer[];
  next_cursor: string | null;
}

/** What the search box holds, as the query it asks: an e-mail, a phone, else a name. */
export function searchQuery(text: string): Record<string, string> {
  const q = text.trim();
  if (q.includes("@")) return { email: q };
  // Digits with the signs people write phones with (+, spaces, brackets, dots, dashes).
  if (/^[+0-9 ()./-]+$/.test(q) && (q.match(/[0-9]/g) ?? []).length >= 5) return { phone: q };
  return { name: q };
}

export const customersApi = (api: Api) => ({
  search: (text: string) => api.get<CustomerPage>("/v1/customers", searchQuery(text)),
  duplicates: () => api.get<CustomerPage>("/v1/customers", { duplicates: "true" }),
  get: (id: string) => api.get<Customer>(`/v1/customers/${encodeURIComponent(id)}`),
  patch: (c: Customer, body: Record<string, unknown>) =>
    api.patch<Customer>(`/v1/customers/${encodeURIComponent(c.id)}`, body, c.version),
  note: (id: string, text: string) => api.post<Note>(`/v1/customers/${encodeURIComponent(id)}/notes`, { text }),
  orders: (id: string, cursor?: string) =>
    api.get<{ data: Order[]; next_cursor: string | null }>(`/v1/customers/${encodeURIComponent(id)}/orders`, {
      limit: 20,
      cursor,
    }),
  merge: (winner: string, loser: string) =>
    api.post<{ status: string }>(`/v1/customers/${encodeURIComponent(winner)}/merge`, { loser }),
});
