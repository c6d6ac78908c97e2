/**
 * The widget's branding on the Website page: its primary colour (a colour picker and the same
 * colour as #rrggbb), the business's logo (an https address, previewed as it loads) and the
 * language it speaks when its tag names none, with a preview of the widget's head and button.
 * The contrast of white text on the colour is shown as it is chosen; the API refuses one under
 * 4.5:1 and the page says so in the staff member's words.
 */

import { useState } from "preact/hooks";
import { useDesk } from "./app";
import { type Branding, contrastWithWhite, type TenantProfile } from "./settings_api";
import { Labelled, Refusal, Saved, useSave } from "./settings_form";

const WIDGET_BLUE = "#1f6feb"; // the widget's own colour (web/widget/styles.ts)
const MIN_CONTRAST = 4.5;

export function BrandingForm({ tenant, onSaved }: { tenant: TenantProfile; onSaved: () => void }) {
  const { t } = useDesk();
  // No colour of its own: the widget's blue, written in the field too (the picker shows it).
  const [brand, setBrand] = useState<Branding>(() => ({
    ...tenant.branding,
    primary_colour: tenant.branding.primary_colour.trim() || WIDGET_BLUE,
  }));
  const save = useSave();
  const colour = brand.primary_colour.trim();
  const shown = /^#[0-9a-fA-F]{6}$/.test(colour) ? colour : WIDGET_BLUE;
  const contrast = contrastWithWhite(shown);
  const set = (change: Partial<Branding>) => setBrand({ ...brand, ...change });

  const submit = async (event: Event) => {
    event.preventDefault();
    if (await save.run({ branding: { ...brand, primary_colour: colour, logo_url: brand.logo_url.trim() } })) onSaved();
  };
  return (
    <form class="settings branding" onSubmit={submit} aria-labelledby="branding-title">
      <h2 id="branding-title">{t("branding_title")}</h2>
      <div class="colour">
        <label>
          {t("brand_colour_picker")}
          <input type="color" value={shown} onInput={(e) => set({ primary_colour: (e.currentTarget as HTMLInputElement).value })} />
        </label>
        <label>
          {t("brand_colour")}
          <input
            type="text"
            value={brand.primary_colour}
            placeholder={WIDGET_BLUE}
            pattern="#[0-9a-fA-F]{6}"
            spellcheck={false}
            onInput={(e) => set({ primary_colour: (e.currentTarget as HTMLInputElement).value })}
          />
        </label>
      </div>
      <p class={contrast !== null && contrast < MIN_CONTRAST ? "error" : "muted"}>
        {t("brand_contrast", { ratio: contrast === null ? "?" : (Math.floor(contrast * 100) / 100).toFixed(2) })}{" "}
        {contrast !== null && contrast < MIN_CONTRAST ? t("brand_contrast_low") : t("brand_contrast_ok")}
      </p>
      <Labelled label="logo_url" help="logo_url_help">
        {(describedBy) => (
          <input
            type="url"
            value={brand.logo_url}
            aria-describedby={describedBy}
            onInput={(e) => set({ logo_url: (e.currentTarget as HTMLInputElement).value })}
          />
        )}
      </Labelled>
      <Labelled label="widget_language" help="widget_language_help">
        {(describedBy) => (
          <select
            value={brand.widget_language}
            aria-describedby={describedBy}
            onChange={(e) => set({ widget_language: (e.currentTarget as HTMLSelectElement).value as Branding["widget_language"] })}
          >
            <option value="">{t("widget_language_auto")}</option>
            <option value="en">English</option>
            <option value="zh-Hans">简体中文</option>
          </select>
        )}
      </Labelled>
      <Preview name={tenant.name} colour={shown} logo={brand.logo_url.trim()} />
      <Refusal error={save.refusal} />
      <Saved shown={save.saved} />
      <button type="submit" disabled={save.busy}>
        {t("save_branding")}
      </button>
    </form>
  );
}

/** The widget's head and a button as they will look (the widget draws them the same way). */
function Preview({ name, colour, logo }: { name: string; colour: string; logo: string }) {
  const { t } = useDesk();
  const [failed, setFailed] = useState("");
  return (
    <figure class="widget-preview">
      <figcaption>{t("widget_preview")}</figcaption>
      <div class="preview-card">
        {logo.startsWith("https://") && failed !== logo ? (
          <img class="preview-logo" src={logo} alt={name} onError={() => setFailed(logo)} />
        ) : (
          <span class="preview-name">{name}</span>
        )}
        {failed && failed === logo && <p class="error">{t("logo_failed")}</p>}
        <span class="preview-button" style={{ background: colour, borderColor: colour }}>
          {t("preview_button")}
        </span>
      </div>
    </figure>
  );
}
