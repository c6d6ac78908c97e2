/**
 * Staff and roles (`#/staff`, managers and owners): the business's staff logins
 * (`GET /v1/staff`), inviting one (`POST /v1/staff`: Cognito e-mails a temporary password),
 * changing a role (`PATCH`) and disabling a login (`DELETE`). Only an owner grants the owner
 * role, and the API keeps at least one active owner whatever the page offers.
 */

import { useState } from "preact/hooks";
import type { Role, Staff } from "./api";
import { useDesk } from "./app";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded } from "./lines";

const ROLES: Role[] = ["viewer", "staff", "manager", "owner"];

export function StaffPage() {
  const desk = useDesk();
  const { t, api } = desk;
  const loaded = useLoaded(async () => (await api.get<{ data: Staff[] }>("/v1/staff")).data);
  const { data: staff, error, refresh } = loaded;
  const grantable = ROLES.filter((r) => r !== "owner" || desk.me.role === "owner");

  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">{t("nav_staff")}</h1>
      <Problem text={error} />
      <Invite roles={grantable} onDone={refresh} />
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
              <Member key={s.id} member={s} roles={grantable} onDone={refresh} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Member({ member, roles, onDone }: { member: Staff; roles: Role[]; onDone: () => void }) {
  const desk = useDesk();
  const { t, api } = desk;
  const { busy, error, run } = useAction();
  const path = `/v1/staff/${encodeURIComponent(member.id)}`;
  const active = member.status === "active";
  const editable = active && member.id !== desk.me.id && roles.includes(member.role);
  const setRole = async (role: string) => {
    if (await run(() => api.patch(path, { role }))) onDone();
  };
  const disable = async () => {
    if (await run(() => api.delete(path))) onDone();
  };
  return (
    <tr>
      <td>{member.name}</td>
      <td class="email">{member.email}</td>
      <td>
        {editable ? (
          <label>
            <span class="sr-only">{t("role_of", { name: member.name })}</span>
            <select value={member.role} disabled={busy} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value)}>
              {roles.map((r) => (
                <option value={r} key={r}>
                  {t(`role_word_${r}` as Key)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          t(`role_word_${member.role}` as Key)
        )}
      </td>
      <td>
        {active ? t("staff_active") : t("staff_disabled")}{" "}
        {editable && (
          <button type="button" class="danger" disabled={busy} onClick={disable}>
            {t("disable_login", { name: member.name })}
          </button>
        )}
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
    if (await run(() => api.post("/v1/staff", body))) {
      setSent(body.email);
      formEl.reset();
      onDone();
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
      <label>
        {t("role")}
        <select name="role">
          {roles.map((r) => (
            <option value={r} key={r} selected={r === "staff"}>
              {t(`role_word_${r}` as Key)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy}>
        {t("invite")}
      </button>
      {sent && (
        <p class="notice" role="status">
          {t("invited", { email: sent })}
        </p>
      )}
      <Problem text={error} />
    </form>
  );
}
