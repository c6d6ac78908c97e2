/**
 * What the Import page needs of a CSV file before the server sees it: the header and the
 * first rows to show (read as the server reads them: a byte-order mark dropped, the separator
 * the header uses most of, quoted cells with separators, quotes and line breaks), and a
 * guess of the field each column holds from its name ("E-mail", "Telefon", "Guest Name"...).
 * The server reads the whole file again and is the judge: this is only what the page shows.
 */

export const FIELDS = {
  customers: ["name", "first_name", "last_name", "email", "phone", "notes", "tags", "birthday", "marketing_consent"],
  bookings: ["name", "first_name", "last_name", "email", "phone", "notes", "offering", "start", "date", "time", "nights", "party", "quantity", "reference"],
} as const;
export type Kind = keyof typeof FIELDS;

const SEPARATORS = [",", ";", "\t"];

export function separatorOf(firstLine: string): string {
  const counts = new Map(SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ",";
  let most = 0;
  for (const [s, n] of counts) if (n > most) [best, most] = [s, n];
  return best;
}

/** A record of the file and its number there (1 the header's, when no blank one comes first):
 * a blank record is skipped but counted, so the preview's row numbers are the report's. */
export interface CsvRecord {
  n: number;
  cells: string[];
}

/** The first `limit` records of `text`, read as the API's reader reads them (Python's csv: a
 * quote opens a cell only at its start; CR, LF or CRLF ends a line), blank ones left out. */
export function readCsv(text: string, limit = 6): CsvRecord[] {
  const body = text.replace(/^\uFEFF/, "");
  const sep = separatorOf(body.replace(/^[\r\n]+/, "").split("\n", 1)[0] ?? "");
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let n = 0; // the record's number in the file, blank ones counted, as the API numbers rows
  const endRecord = () => {
    cells.push(cell);
    n += 1;
    if (cells.some((c) => c.trim())) records.push({ n, cells });
    cells = [];
    cell = "";
  };
  for (let i = 0; i < body.length && records.length < limit; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true; // a quote opens a cell only at its start
    else if (ch === sep) {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n") endRecord();
    else if (ch === "\r") {
      if (body[i + 1] !== "\n") endRecord(); // a lone CR ends a line too, as Python's csv
    } else cell += ch;
  }
  if (records.length < limit && (cell || cells.length)) endRecord();
  return records;
}

/** The header's column names (a blank last column, from a trailing separator, left out). */
export function headerOf(records: CsvRecord[]): string[] {
  const names = (records[0]?.cells ?? []).map((c) => c.trim());
  while (names.length && !names[names.length - 1]) names.pop();
  return names;
}

const GUESSES: Record<string, string[]> = {
  email: ["email", "mail", "emailaddress", "emailadresse", "邮箱", "电子邮箱"],
  phone: ["phone", "telephone", "tel", "mobile", "cell", "phonenumber", "telefon", "handy", "电话", "手机"],
  name: ["name", "fullname", "guestname", "customername", "customer", "guest", "client", "kunde", "姓名"],
  first_name: ["firstname", "first", "givenname", "vorname", "名"],
  last_name: ["lastname", "last", "surname", "familyname", "nachname", "姓"],
  tags: ["tags", "tag", "labels"],
  notes: ["notes", "note", "comments", "comment", "remarks", "notizen", "bemerkung", "备注"],
  birthday: ["birthday", "birthdate", "dateofbirth", "dob", "geburtstag", "生日"],
  marketing_consent: ["marketing", "marketingconsent", "newsletter", "consent", "optin", "subscribed"],
  offering: ["offering", "service", "room", "roomtype", "tour", "product", "treatment", "leistung", "服务", "项目"],
  start: ["start", "startsat", "datetime", "appointment", "termin"],
  date: ["date", "arrival", "arrivaldate", "checkin", "day", "datum", "anreise", "日期"],
  time: ["time", "starttime", "uhrzeit", "时间"],
  nights: ["nights", "nächte", "naechte"],
  party: ["party", "guests", "pax", "people", "persons", "adults", "personen", "人数"],
  quantity: ["quantity", "qty", "rooms", "count"],
  reference: ["reference", "ref", "bookingref", "bookingreference", "bookingid", "bookingnumber", "confirmation", "buchungsnr"],
};

function fold(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.:#/()]+/g, "");
}

/** A field for each column the page can tell from its name, each field once: column -> field. */
export function guessMapping(kind: Kind, header: string[]): Record<string, string> {
  const allowed = new Set<string>(FIELDS[kind]);
  const taken = new Set<string>();
  const out: Record<string, string> = {};
  for (const column of header) {
    const folded = fold(column);
    const field = Object.keys(GUESSES).find((f) => allowed.has(f) && !taken.has(f) && GUESSES[f]!.includes(folded));
    if (field) {
      out[column] = field;
      taken.add(field);
    }
  }
  return out;
}
