/**
 * API keys (`#/keys`, managers and owners): the business's keys by name, kind, role, scope and
 * status (`GET /v1/keys`); a new one (`POST /v1/keys`: a secret key for the business's own
 * server, of a role and scope, or a publishable key for a widget), shown once in a field to
 * copy, never again; rotating one with a grace period for the old key (`POST .../rotate`);
 * revoking one (`DELETE`). The API keeps a key at most its maker's role.
 */

import { useState } from "preact/hooks";
import type { Role } from "./api";
import { useDesk } from "./app";
import type { Key } from "./i18n";
import { focusIfLost, focusSoon, useQuestionFocus } from "./focus";
import { Problem, useAction, useLoaded } from "./lines";
import { Question } from "./question";
import { grantable, resetWithUsualRole, RoleChoice, ROLES } from "./role_choice";

interface ApiKey {
  id: string;
  kind: "secret" | "publishable";
  name: string;
  prefix: string;
  status: "active" | "revoked" | "expired";
  role: Role | null;
  scope: "full" | "bookings" | "partner" | null; // partner: made by its channel connection; null: publishable
  expires_at: string | null;
  replaced_by: string | null; // replaced: works until expires_at, then stops; not replaced again
  created_at: string;
}

/** Whether `role` may replace or revoke `key`: as the API decides (a key of a role above the
 * caller's is refused, 403), so a manager is not offered buttons on the owner's keys that
 * could only answer "Your role may not do this" (an outside tester's finding). A key with no
 * role is a publishable one. */
function mayManage(key: { role: Role | null }, role: Role): boolean {
  return key.role === null || ROLES.indexOf(key.role) <= ROLES.indexOf(role);
}

/** The name of the key that replaced one (its id when that key is no longer listed). */
function nameOf(keys: ApiKey[], id: string): string {
  const key = keys.find((k) => k.id === id);
  return key ? `${key.name} (${key.prefix}…)` : id;
}

export function KeysPage() {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const loaded = useLoaded(async () => (await api.get<{ data: ApiKey[] }>("/v1/keys")).data);
  const { data: keys, error, refresh } = loaded;
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const made = (key: { name: string; key: string }) => {
    setShown(key);
    refresh();
    focusSoon(() => document.getElementById("key-shown")); // the key to copy, shown this once
  };

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">{t("nav_keys")}</h1>
      <Problem text={error} />
      <NewKey onMade={made} />
      {shown && (
        <div class="settings" role="status">
          <label>
            {t("api_key_once", { name: shown.name })}
            <input id="key-shown" readOnly value={shown.key} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          </label>
        </div>
      )}
      {keys === null && !error && <p role="status">{t("loading")}</p>}
      {keys && (
        <div class="scroll" role="region" tabIndex={0} aria-label={t("keys_table")}>
          <table class="results keys-table">
            <thead>
              <tr>
                <th scope="col">{t("thing_name")}</th>
                <th scope="col">{t("key_kind")}</th>
                <th scope="col">{t("role")}</th>
                <th scope="col">{t("status")}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td>
                    <span class="key-name">{k.name}</span>
                    <br />
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{t(`key_${k.kind}` as Key)}</td>
                  <td>{k.role ? `${t(`role_word_${k.role}` as Key)} · ${t(`scope_${k.scope}` as Key)}` : "–"}</td>
                  <td id={`key-status-${k.id}`}>
                    {t(k.status === "active" ? "staff_active" : k.status === "expired" ? "key_expired" : "key_revoked")}
                    {/* A revoked key stopped when it was revoked: its old stop date would mislead. */}
                    {k.status === "active" && k.replaced_by && <> · {t("key_replaced_by", { name: nameOf(keys, k.replaced_by) })}</>}
                    {k.status === "active" && k.expires_at && <> · {t("key_expires", { when: fmt.dateTime(k.expires_at) })}</>}
                    {k.status === "expired" && k.expires_at && <> · {t("key_stopped", { when: fmt.dateTime(k.expires_at) })}</>}
                    {k.status === "active" && mayManage(k, desk.me.role) && (
                      <KeyActions apiKey={k} onMade={made} onDone={refresh} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function NewKey({ onMade }: { onMade: (key: { name: string; key: string }) => void }) {
  const desk = useDesk();
  const { t, api } = desk;
  const { busy, error, run } = useAction();
  const [kind, setKind] = useState<"secret" | "publishable">("secret");
  const roles = grantable(desk.me.role);
  const submit = async (event: Event) => {
    event.preventDefault();
    const formEl = event.currentTarget as HTMLFormElement;
    const form = new FormData(formEl);
    const name = String(form.get("name") ?? "").trim();
    const body =
      kind === "secret"
        ? { kind, name, role: String(form.get("role")), scope: String(form.get("scope")) }
        : { kind, name };
    await run(async () => {
      const made = await api.post<{ key: string }>("/v1/keys", body);
      resetWithUsualRole(formEl);
      onMade({ name, key: made.key });
    });
  };
  return (
    <form class="customer" onSubmit={submit} aria-labelledby="new-key-title">
      <strong id="new-key-title" class="wide">
        {t("new_key")}
      </strong>
      <label>
        {t("thing_name")}
        <input name="name" maxLength={120} required />
      </label>
      <label>
        {t("key_kind")}
        <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as "secret" | "publishable")}>
          <option value="secret">{t("key_secret")}</option>
          <option value="publishable">{t("key_publishable")}</option>
        </select>
      </label>
      {kind === "secret" && (
        <>
          <RoleChoice roles={roles} />
          <label>
            {t("key_scope")}
            <select name="scope">
              <option value="bookings">{t("scope_bookings")}</option>
              <option value="full">{t("scope_full")}</option>
            </select>
          </label>
        </>
      )}
      <button type="submit" disabled={busy}>
        {t("make_api_key")}
      </button>
      <Problem text={error} />
    </form>
  );
}

function KeyActions(props: { apiKey: ApiKey; onMade: (key: { name: string; key: string }) => void; onDone: () => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  // Revoking refuses every request with the key at once and cannot be undone: asked first, the
  // question on "Keep the key" (a second Enter keeps), Escape keeps, the focus back on Revoke.
  const [asking, setAsking] = useState(false);
  const { opener, keep: keepButton, answered } = useQuestionFocus(asking);
  const path = `/v1/keys/${encodeURIComponent(props.apiKey.id)}`;
  const rotate = async () => {
    await run(async () => {
      const made = await api.post<{ key: string }>(`${path}/rotate`, { grace_seconds: 86400 });
      props.onMade({ name: props.apiKey.name, key: made.key });
    });
  };
  const revoke = async () => {
    if (await run(() => api.delete(path))) {
      answered(); // the row says Revoked: the keyboard goes there, not back to a button gone
      setAsking(false);
      props.onDone();
      focusIfLost(() => document.getElementById(`key-status-${props.apiKey.id}`));
    }
  };
  const name = props.apiKey.name;
  return (
    <span class="actions">
      {/* A replaced key is on its way out: the API refuses replacing it again (409). */}
      {!props.apiKey.replaced_by && (
        <button type="button" disabled={busy} onClick={rotate} aria-label={t("rotate_key", { name })}>
          {t("replace")}
        </button>
      )}
      {asking ? (
        <Question
          label={t("revoke_key", { name })}
          says={t("revoke_key_sure", { name })}
          yes={t("revoke_key_yes")}
          keep={t("revoke_key_keep")}
          busy={busy}
          keepRef={keepButton}
          onYes={revoke}
          onKeep={() => setAsking(false)}
        />
      ) : (
        <button type="button" class="danger" ref={opener} disabled={busy} onClick={() => setAsking(true)} aria-label={t("revoke_key", { name })}>
          {t("revoke")}
        </button>
      )}
      <Problem text={error} />
    </span>
  );
}
