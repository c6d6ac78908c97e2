/**
 * A connection's credentials: the partner key (for partners that call us: OCTO resellers,
 * agents) and the HMAC secret (signing the channel manager's webhooks to us and our updates to
 * it), and the address its webhooks go to. A key or secret is answered once, when it is made:
 * it is shown here once with a copy button and a plain warning, never again (afterwards only
 * the key's prefix, or that a secret is set). Making a new one replaces the old one at once,
 * so the page asks first when there is one.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { useDesk } from "./app";
import { channels, type Connection } from "./channel_api";
import { Problem, useAction } from "./lines";

type Shown = { what: "key" | "secret"; value: string };

export function Credentials({ connection, onChanged }: { connection: Connection; onChanged: (c: Connection) => void }) {
  const { t, api } = useDesk();
  const [shown, setShown] = useState<Shown | null>(null);
  const issued = async (what: Shown["what"], value: string) => {
    setShown({ what, value });
    onChanged(await channels.get(api, connection.id)); // the key's prefix, the secret's flag
  };
  const heading = useRef<HTMLHeadingElement>(null);
  const inbound = `${api.base}${connection.inbound_url}`;
  const done = () => {
    setShown(null);
    heading.current?.focus(); // the button that had the focus is gone with the box
  };
  return (
    <section class="panel credentials" aria-labelledby="credentials-title">
      <h2 id="credentials-title" tabIndex={-1} ref={heading}>
        {t("channel_credentials")}
      </h2>
      {shown && <OnceBox shown={shown} onDone={done} />}
      <Issue
        what="key"
        label={t("channel_key")}
        help={t("channel_key_help")}
        state={connection.key_prefix ? t("channel_key_in_use", { prefix: `${connection.key_prefix}…` }) : t("channel_no_key")}
        exists={connection.key_prefix !== null}
        make={async () => issued("key", (await channels.issueKey(api, connection.id)).key)}
      />
      <Issue
        what="secret"
        label={t("channel_secret")}
        help={t("channel_secret_help")}
        state={t(connection.secret_set ? "channel_secret_set" : "channel_no_secret")}
        exists={connection.secret_set}
        make={async () => issued("secret", (await channels.issueSecret(api, connection.id)).secret)}
      />
      {connection.kind === "channel_manager" && (
        <div class="credential">
          <h3>{t("channel_inbound_url")}</h3>
          <p class="muted">{t("channel_inbound_url_help")}</p>
          <CopyField label={t("channel_inbound_url")} value={inbound} />
        </div>
      )}
    </section>
  );
}

function Issue(props: { what: Shown["what"]; label: string; help: string; state: string; exists: boolean; make: () => Promise<void> }) {
  const { t } = useDesk();
  const { busy, error, run } = useAction();
  const [asking, setAsking] = useState(false);
  const make = async () => {
    setAsking(false);
    await run(props.make);
  };
  const button = t(props.exists ? `channel_replace_${props.what}` : `channel_issue_${props.what}`);
  return (
    <div class="credential">
      <h3>{props.label}</h3>
      <p class="muted">{props.help}</p>
      <p>{props.state}</p>
      {asking ? (
        <span class="confirm" role="group" aria-label={button}>
          {t(`channel_replace_${props.what}_warning`)}
          <button type="button" class="danger" disabled={busy} onClick={make}>
            {button}
          </button>
          <button type="button" class="secondary" onClick={() => setAsking(false)}>
            {t("channel_keep")}
          </button>
        </span>
      ) : (
        <button type="button" disabled={busy} onClick={() => (props.exists ? setAsking(true) : make())}>
          {button}
        </button>
      )}
      <Problem text={error} />
    </div>
  );
}

/** The new key or secret, this once: a warning, the value to copy, and "I have copied it". */
function OnceBox({ shown, onDone }: { shown: Shown; onDone: () => void }) {
  const { t } = useDesk();
  const label = t(shown.what === "key" ? "channel_new_key" : "channel_new_secret");
  return (
    <div class="once" role="alert" aria-labelledby="once-title">
      <strong id="once-title">{label}</strong>
      <p>{t(shown.what === "key" ? "channel_key_once" : "channel_secret_once")}</p>
      <CopyField label={label} value={shown.value} focus />
      <button type="button" class="secondary" onClick={onDone}>
        {t("channel_copied_done")}
      </button>
    </div>
  );
}

/** A value in a read-only field and a button that copies it (the clipboard, else the
 * selection copied; when neither is allowed the value is selected for the keyboard's copy).
 * `focus`: the field takes the focus when it shows a new value. */
export function CopyField({ label, value, focus = false }: { label: string; value: string; focus?: boolean }) {
  const { t } = useDesk();
  const field = useRef<HTMLInputElement>(null);
  const [said, setSaid] = useState("");
  useEffect(() => {
    if (focus) field.current?.focus(); // a new key: the keyboard is at it, Tab reaches Copy
  }, [value]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setSaid(t("channel_copied"));
    } catch {
      field.current?.select();
      setSaid(document.execCommand("copy") ? t("channel_copied") : t("channel_copy_by_hand"));
    }
  };
  return (
    <div class="copy-field">
      <input ref={field} readOnly value={value} aria-label={label} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
      <button type="button" onClick={copy} aria-label={t("channel_copy_named", { name: label })}>
        {t("channel_copy")}
      </button>
      <span class="notice" role="status">
        {said}
      </span>
    </div>
  );
}
