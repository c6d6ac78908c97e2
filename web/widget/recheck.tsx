/**
 * Reading again what a lost answer left unknown (a phone's dropped connection: the request
 * reached the server, its answer never came). A card payment, a cancel or a move may have been
 * made: the held step, the balance and the manage page read the order (or what it owes) until
 * they know, and offer "Check again" meanwhile, rather than say "Failed to fetch" or offer the
 * booking's actions as they were (outside testers' phones).
 */
import { useEffect, useState } from "preact/hooks";
import type { Translate } from "./i18n";

/** Whether `found` (a read that shows and says what it found) found it within `tries` reads
 * a second apart, while `live`. */
export async function foundWithin(tries: number, found: () => Promise<boolean>, live = () => true): Promise<boolean> {
  for (let i = 0; i < tries && live(); i++) {
    if (await found()) return true;
    if (i + 1 < tries) await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

/** While `on`, reads until `found` (told whether it is still wanted), a second apart. */
export function useReadingWhile(on: boolean, found: (live: () => boolean) => Promise<boolean>): void {
  useEffect(() => {
    if (!on) return;
    let live = true;
    const still = () => live;
    void foundWithin(Number.POSITIVE_INFINITY, () => found(still), still);
    return () => {
      live = false;
    };
  }, [on]);
}

/** "Check again": one read now, the button off while it reads (or while `busy`). */
export function CheckAgain(props: { t: Translate; busy: boolean; onCheck: () => Promise<unknown> }) {
  const [checking, setChecking] = useState(false);
  const check = () => {
    setChecking(true);
    void props.onCheck().finally(() => setChecking(false));
  };
  return (
    <div class="actions">
      <button type="button" class="secondary" disabled={props.busy || checking} onClick={check}>
        {props.t("check_again")}
      </button>
    </div>
  );
}
