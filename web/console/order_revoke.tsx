/**
 * Revoking the customer's manage links (`POST /v1/orders/{id}/manage-links/revoke`): every
 * link in the e-mails about the order stops working, which cannot be undone from the console,
 * so the desk is asked first (as Stop selling asks in catalog_parts.tsx). The question takes
 * the keyboard (on "Keep the links": a second Enter keeps, not revokes), Escape keeps, and
 * keeping puts the keyboard back on the button that asked.
 */

import { useState } from "preact/hooks";
import type { Order } from "./api";
import { useDesk } from "./app";
import { useQuestionFocus } from "./focus";
import { Problem, useAction } from "./lines";
import { Question } from "./question";

export function Revoke({ order, onDone }: { order: Order; onDone: (said: string) => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [asking, setAsking] = useState(false);
  const { opener, keep: keepButton, answered } = useQuestionFocus(asking);

  const revoke = async () => {
    const path = `/v1/orders/${encodeURIComponent(order.id)}/manage-links/revoke`;
    if (await run(() => api.post(path))) {
      answered(); // the page says it is done and takes the focus
      setAsking(false);
      onDone(t("revoke_links_done"));
    }
  };
  if (!asking) {
    return (
      <>
        <button type="button" ref={opener} onClick={() => setAsking(true)}>
          {t("revoke_links")}
        </button>
        <Problem text={error} />
      </>
    );
  }
  return (
    <Question
      label={t("revoke_links")}
      says={t("revoke_links_sure", { name: order.customer.name })}
      yes={t("revoke_links_yes")}
      keep={t("revoke_links_keep")}
      busy={busy}
      keepRef={keepButton}
      onYes={revoke}
      onKeep={() => setAsking(false)}
    >
      <Problem text={error} />
    </Question>
  );
}
