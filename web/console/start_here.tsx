/**
 * Today's "Start here" for a business that sells nothing yet (no resource or no offering in
 * its catalog): a new owner's Today was blank. It says what to add, in order, with links to
 * the Catalog's forms, and (to managers and owners) the Website and Payments settings.
 */

import { MAY } from "./api";
import { useDesk } from "./app";

export function StartHere({ resources }: { resources: number }) {
  const desk = useDesk();
  const { t } = desk;
  const manages = MAY.manage(desk.me.role);
  return (
    <section class="panel start-here" aria-labelledby="start-here-title">
      <h2 id="start-here-title">{t("start_here")}</h2>
      <p>{t("start_here_text")}</p>
      <ol>
        <li class={resources ? "done" : undefined}>
          <a href="#/catalog/resource/new">{t("start_here_resource")}</a>
          {resources > 0 && <span class="muted"> ({t("start_here_done", { n: resources })})</span>}
        </li>
        <li>
          <a href="#/catalog/offering/new">{t("start_here_offering")}</a>
        </li>
        {manages && (
          <>
            <li>
              <a href="#/website">{t("start_here_website")}</a>
            </li>
            <li>
              <a href="#/payments">{t("start_here_payments")}</a>
            </li>
          </>
        )}
      </ol>
      <p>
        <a href="#/catalog">{t("start_here_catalog")}</a>
      </p>
    </section>
  );
}
