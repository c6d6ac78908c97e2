/**
 * Today's "Start here" for a business that sells nothing yet (no resource or no offering in
 * its catalog): a new owner's Today was blank. It says what to add, in order; to managers and
 * owners with links to the Catalog's forms and the Website and Payments settings. The others
 * (staff, viewers) may not add to the catalog (the Catalog page gives its "New" links to
 * managers and owners alone): they read what is to be added, that a manager or the owner adds
 * it, and that meanwhile they can read the Catalog as it stands.
 */

import { MAY } from "./api";
import { useDesk } from "./app";

export function StartHere({ resources }: { resources: number }) {
  const desk = useDesk();
  const { t } = desk;
  const manages = MAY.manage(desk.me.role);
  const step = (href: string, words: string) => (manages ? <a href={href}>{words}</a> : words);
  return (
    <section class="panel start-here" aria-labelledby="start-here-title">
      <h2 id="start-here-title">{t("start_here")}</h2>
      <p>{t(manages ? "start_here_text" : "start_here_text_ask")}</p>
      <ol>
        <li class={resources ? "done" : undefined}>
          {step("#/catalog/resource/new", t("start_here_resource"))}
          {resources > 0 && <span class="muted"> ({t("start_here_done", { n: resources })})</span>}
        </li>
        <li>{step("#/catalog/offering/new", t("start_here_offering"))}</li>
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
        <a href="#/catalog">{t(manages ? "start_here_catalog" : "start_here_catalog_read")}</a>
      </p>
    </section>
  );
}
