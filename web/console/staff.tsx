/**
 * Staff and roles (`#/staff`, managers and owners): the business's staff logins
 * (`GET /v1/staff`), inviting one (`POST /v1/staff`: Cognito e-mails a temporary password),
 * changing a role (`PATCH`) and disabling a login (`DELETE`). Only an owner grants the owner
 * role, and the API keeps at least one active owner whatever the page offers.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import type { Role, Staff } from "./api";
import { useDesk } from "./app";
import { focusId, focusSoon, useQuestionFocus } from "./focus";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";
import { Question } from "./question";
import { grantable, resetWithUsualRole, RoleChoice } from "./role_choice";

export function StaffPage() {
  const desk = useDesk();
  const { t, api } = desk;
  const loaded = useLoaded(async () => (await api.get<{ data: Staff[] }>("/v1/staff")).data);
  const { data: staff, error, refresh } = loaded;
  const roles = grantable(desk.me.role);

  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">{t("nav_staff")}</h1>
      <Problem text={error} />
      <Invite roles={roles} onDone={refresh} />
      {staff === null && !error && <p role="status">{t("loading")}</p>}
      {staff && (
        <table class="results staff-table">
          <thead>
            <tr>
              <th scope="col">{t("person_name")}</th>
              <th scope="col">{t("email")}</th>
              <th scope="col">{t("role")}</th>
              <th scope="col">{t("status")}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <Member key={s.id} member={s} roles={roles} onDone={refresh} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One login's row. A role chosen in the list is only a choice until "Save role" (an arrow key
 * on the focused list changes it: sent at once, one keystroke re-roled a login unasked, an
 * outside tester's finding); disabling a login asks first, as it cannot be undone (the API
 * keeps no way back and its e-mail cannot be invited again). */
function Member({ member, roles, onDone }: { member: Staff; roles: Role[]; onDone: () => void }) {
  const desk = useDesk();
  const { t, api } = desk;
  const { busy, error, run } = useAction();
  const [chosen, setChosen] = useState<Role>(member.role);
  const [saved, setSaved] = useState("");
  const [asking, setAsking] = useState(false);
  const { opener, keep, answered } = useQuestionFocus(asking);
  // Save and Keep go once pressed: the keyboard goes back to the list, not to <body>; a
  // login disabled, to the row's status that says so.
  const list = useRef<HTMLSelectElement>(null);
  const state = useRef<HTMLSpanElement>(null);
  // As read again: only when the role read differs from the one drawn. Not on the first draw,
  // whose effect runs after paint: a choice made at once (CI: ArrowDown as soon as the row
  // appeared) was put back by it.
  const drawn = useRef(member.role);
  useEffect(() => {
    if (drawn.current === member.role) return;
    drawn.current = member.role;
    setChosen(member.role);
  }, [member.role]);
  const path = `/v1/staff/${encodeURIComponent(member.id)}`;
  const active = member.status === "active";
  const editable = active && member.id !== desk.me.id && roles.includes(member.role);
  const name = member.name;
  const role = (r: Role) => t(`role_word_${r}` as Key);
  const save = async () => {
    if (await run(() => api.patch(path, { role: chosen }))) {
      setSaved(t("role_saved", { name, role: role(chosen) }));
      onDone();
      focusSoon(() => list.current);
    }
  };
  const disable = async () => {
    if (await run(() => api.delete(path))) {
      answered(); // the row says Disabled: the keyboard goes there
      setAsking(false);
      onDone();
      focusSoon(() => state.current);
    }
  };
  const changed = chosen !== member.role;
  return (
    <tr>
      <td>{name}</td>
      <td class="email">{member.email}</td>
      <td>
        {editable ? (
          <span class="actions">
            <label>
              <span class="sr-only">{t("role_of", { name })}</span>
              <select
                ref={list}
                value={chosen}
                disabled={busy}
                onChange={(e) => {
                  setSaved("");
                  setChosen((e.currentTarget as HTMLSelectElement).value as Role);
                }}
              >
                {roles.map((r) => (
                  <option value={r} key={r}>
                    {role(r)}
                  </option>
                ))}
              </select>
            </label>
            {changed && (
              <>
                <button type="button" disabled={busy} onClick={save} aria-label={t("role_save_as", { name, role: role(chosen) })}>
                  {t("role_save")}
                </button>
                <button type="button" class="secondary" disabled={busy} onClick={() => {
                    setChosen(member.role);
                    focusSoon(() => list.current);
                  }}
                >
                  {t("role_keep", { role: role(member.role) })}
                </button>
              </>
            )}
            <span role="status" class="notice">
              {changed ? "" : saved}
            </span>
          </span>
        ) : (
          role(member.role)
        )}
      </td>
      <td>
        <span ref={state}>{active ? t("staff_active") : t("staff_disabled")}</span>{" "}
        {editable &&
          (asking ? (
            <Question
              label={t("disable_login", { name })}
              says={t("disable_login_sure", { name })}
              yes={t("disable_login_yes")}
              keep={t("disable_login_keep")}
              busy={busy}
              keepRef={keep}
              onYes={disable}
              onKeep={() => setAsking(false)}
            />
          ) : (
            <button type="button" class="danger" ref={opener} disabled={busy} onClick={() => setAsking(true)}>
              {t("disable_login", { name })}
            </button>
          ))}
        <Problem text={error} />
      </td>
    </tr>
  );
}

function Invite({ roles, onDone }: { roles: Role[]; onDone: () => void }) {
  const { t, api } = useDesk();
  const { busy, error, run } = useAction();
  const [sent, setSent] = useState("");
  const submit = async (event: Event) => {
    event.preventDefault();
    const formEl = event.currentTarget as HTMLFormElement;
    const form = new FormData(formEl);
    const body = {
      name: String(form.get("name") ?? "").trim(),
      email: String(form.get("email") ?? "").trim(),
      role: String(form.get("role") ?? "staff"),
    };
    setSent(""); // an earlier invitation's line is not left beside this one's refusal
    if (await run(() => api.post("/v1/staff", body))) {
      setSent(body.email);
      resetWithUsualRole(formEl);
      onDone();
      focusId("invited"); // the line that says it was sent, not <body>
    }
  };
  return (
    <form class="customer" onSubmit={submit} aria-labelledby="invite-title">
      <strong id="invite-title" class="wide">
        {t("invite_staff")}
      </strong>
      <label>
        {t("person_name")}
        <input name="name" maxLength={120} required />
      </label>
      <label>
        {t("email")}
        <input name="email" type="email" required />
      </label>
      <RoleChoice roles={roles} />
      <button type="submit" disabled={busy}>
        {t("invite")}
      </button>
      {sent && (
        <p class="notice" role="status" id="invited">
          {t("invited", { email: sent })}
        </p>
      )}
      <Problem text={error} />
    </form>
  );
}
