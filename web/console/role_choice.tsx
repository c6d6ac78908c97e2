/**
 * The role chosen for a new login (staff.tsx) or a new server key (keys.tsx): the same four
 * roles, the same rule (only an owner grants owner: the API refuses anyone else, 403) and the
 * same default. Kept in one place so the two forms cannot drift apart, as their resets did.
 */

import type { Role } from "./api";
import { useDesk } from "./app";
import type { Key } from "./i18n";

/** From least to most: the API keeps a key or a login at most its maker's role. */
export const ROLES: Role[] = ["viewer", "staff", "manager", "owner"];

const USUAL: Role = "staff";

/** The roles `mine` may give: every one but owner, which only an owner grants. */
export function grantable(mine: Role): Role[] {
  return ROLES.filter((r) => r !== "owner" || mine === "owner");
}

/** The role select (`name="role"`), on the usual role until chosen otherwise. */
export function RoleChoice({ roles }: { roles: Role[] }) {
  const { t } = useDesk();
  return (
    <label>
      {t("role")}
      <select name="role">
        {roles.map((r) => (
          <option value={r} key={r} selected={r === USUAL}>
            {t(`role_word_${r}` as Key)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Empty the form for the next one, its role back on the usual one: reset() alone goes to the
 * first option (viewer), as `selected` is a property here, not the markup's default (an
 * outside tester's next invite was a viewer). */
export function resetWithUsualRole(form: HTMLFormElement): void {
  form.reset();
  const role = form.elements.namedItem("role") as HTMLSelectElement | null;
  if (role) role.value = USUAL;
}
