/** What an error answer of the API says, read status first.
 *
 * The API's own refusals are `{"error": {"code", "message", "details"}}`. API Gateway (an HTTP
 * API) answers a few requests itself before the app runs, in its own shape: a throttled request
 * 429 `{"message": "Too Many Requests"}` (no `Retry-After`), a body over 10 MB 413, an
 * integration that timed out 503 or 504 (README, "Errors"). Those are named here by their
 * status, with the app's code for the same refusal, so a client shows a throttled request as
 * "too many tries" whatever its body says. (A browser may not read such an answer at all: the
 * gateway adds no CORS headers, so a cross-origin page sees a failed fetch, its "network".) */
export interface Refusal {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** The app's codes for what the gateway refuses in its own shape. */
const BY_STATUS: Readonly<Record<number, string>> = {
  413: "payload_too_large",
  429: "rate_limited",
  503: "temporarily_unavailable",
  504: "temporarily_unavailable",
};

export function refusalOf(status: number, data: unknown, statusText: string, fallback: string): Refusal {
  const body = (data ?? {}) as { error?: { code?: unknown; message?: unknown; details?: unknown }; message?: unknown };
  const error = body.error;
  if (error && typeof error.code === "string" && error.code) {
    return {
      code: error.code,
      message: typeof error.message === "string" ? error.message : statusText,
      details: (error.details as Record<string, unknown> | undefined) ?? {},
    };
  }
  const said = typeof body.message === "string" && body.message ? body.message : statusText;
  return { code: BY_STATUS[status] ?? fallback, message: said, details: {} };
}
