/**
 * An API field named in a refusal (422 `validation_failed`: `percent_bp`, `wordings.en.subject`,
 * `lines.0.party`) in words a business reads: an outside tester was told "percent_bp (Should be
 * at most 10000)" for a 150 % discount. The name's words for the fields the console sends whose
 * API name says how they are kept, not what they are; a language code as the language's name;
 * a list's index as a number from 1; a bound of a field kept in basis points as a percentage.
 * Pure (no page, no desk), so tests run it in node.
 */

type Lang = "en" | "zh-Hans";

/** The fields whose API names would mislead ([English, Chinese]); others are their own name,
 * its underscores as spaces. */
const NAMED: Readonly<Record<string, readonly [string, string]>> = {
  percent_bp: ["percentage", "百分比"],
  tax_rate_bp: ["tax rate", "税率"],
  commission_bp: ["commission", "佣金"],
  deposit_bp: ["deposit", "定金"],
  unit_amount: ["price", "单价"],
  amount: ["amount", "金额"],
  reason: ["reason", "原因"],
  subject: ["subject", "主题"],
  body: ["text", "正文"],
  name: ["name", "名称"],
  email: ["e-mail", "电子邮件"],
  phone: ["phone", "电话"],
  wordings: ["wording", "措辞"],
};

/** The languages a field's path names (a campaign's or a template's wordings, an offering's
 * names): a list, not a pattern, so `id` or `by` in a path are never read as Indonesian. */
const LANGUAGES = new Set(["en", "zh", "zh-Hans", "zh-Hant", "de", "fr", "es", "it", "ja", "ko", "nl", "pt"]);

function languageName(code: string, lang: Lang): string {
  try {
    return new Intl.DisplayNames([lang], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** `field`, a dotted path, in words: its last named part, after the language it is in
 * ("English subject") and with its place in a list ("party #1", "lines #2"). */
export function fieldWords(field: string, lang: Lang): string {
  const zh = lang === "zh-Hans";
  const parts = field.split(".").filter((p) => p !== "" && p !== "(body)" && !p.startsWith("["));
  const named = (p: string) => NAMED[p]?.[zh ? 1 : 0] ?? p.replace(/_bp$/, "").replace(/_/g, " ");
  let main = "";
  let language = "";
  const places: string[] = [];
  for (const part of parts) {
    if (/^[0-9]+$/.test(part)) places.push(`#${Number(part) + 1}`);
    else if (LANGUAGES.has(part)) language = languageName(part, lang);
    else main = named(part);
  }
  if (!main) return language || field;
  const words = language ? (zh ? `${language}${main}` : `${language} ${main}`) : main;
  return places.length ? `${words} ${places.join(" ")}` : words;
}

/** Whether the field's last segment is an amount of money in minor units. */
function isMoney(field: string): boolean {
  const last = field.split(".").pop() ?? "";
  return last === "amount" || last.endsWith("_amount");
}

/** The API's message of a field, its bound said as the field is typed: in basis points as a
 * percentage ("Should be at most 10000." of `percent_bp` is "Should be at most 100%."), in
 * minor units as money when `money` can write it (an outside tester read "at most 99999999"
 * of an amount typed in euros). */
export function fieldMessage(field: string, message: string, lang: Lang, money?: (minor: number) => string): string {
  let say: ((n: number) => string) | null = null;
  if (/_bp$/.test(field)) {
    const percent = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 2 });
    say = (n) => percent.format(n / 10000);
  } else if (money && isMoney(field)) say = money;
  if (!say) return message;
  const write = say;
  return message.replace(/(at least|at most) (-?[0-9]+)/, (_all, bound: string, n: string) => `${bound} ${write(Number(n))}`);
}
