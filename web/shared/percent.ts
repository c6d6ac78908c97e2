/**
 * Rates and shares as the locale writes a percentage, in the console and the widget alike:
 * Intl's, not "80 %" written by hand (English has no space; French has a narrow one; Chinese
 * none). A rate kept in basis points is said with its two decimals when it has them (5.5%,
 * 7.25%), a whole one whole ("20%").
 */

/** A rate kept in basis points (1900: 19%). */
export function ratePercent(locale: string, bp: number): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(bp / 10_000);
}

/** A share kept as a whole percent (80: 80%). */
export function wholePercent(locale: string, percent: number): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(percent / 100);
}
