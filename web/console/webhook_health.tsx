/**
 * An endpoint's health on the Webhooks page, in words a business owner reads: "Failing since
 * 3 Dec, 14:02 (5 attempts)", "Last delivered 6 Dec, 03:04", "Never delivered yet". An outside
 * tester found a failing endpoint looking just like a healthy one until its delivery log was
 * opened, though every endpoint the API lists carries its `health`. Times are the business's
 * (its zone, by Intl); the failing state is said in words with a mark, never by colour alone.
 */

import { useDesk } from "./app";
import type { EndpointHealth } from "./integrations_api";

export function Health({ health }: { health: EndpointHealth | null | undefined }) {
  const { t, fmt } = useDesk();
  const lastOk = health?.last_success_at;
  const delivered = lastOk ? t("health_last_ok", { when: fmt.moment(lastOk) }) : t("health_never");
  if (!health || health.consecutive_failures === 0 || !health.failing_since) {
    return <span class="health">{delivered}</span>;
  }
  const n = health.consecutive_failures;
  const failing = t(n === 1 ? "health_failing_1" : "health_failing", { when: fmt.moment(health.failing_since), n });
  return (
    <span class="health failing">
      <strong>
        <span aria-hidden="true">⚠ </span>
        {failing}
      </strong>
      <small class="muted">{delivered}</small>
    </span>
  );
}
