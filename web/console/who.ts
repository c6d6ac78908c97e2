/**
 * Who acted, by name: records name who took a payment, made a charge or gave money back as
 * the API knew them (a login's e-mail, `secret_key:<id>`); the desk shows the staff member's
 * name, or "API key «name»", read once a session from `GET /v1/actors`. Someone not found
 * (a record of another time) is said as "a staff member" or "an API key", never as a raw id.
 */
import { useEffect, useState } from "preact/hooks";
import type { Api } from "./api";
import { useDesk } from "./app";
import type { T } from "./i18n";

export interface ActorName {
  who: string;
  name: string;
  kind: "staff" | "key";
}

const asked = new WeakMap<Api, Promise<ActorName[]>>();

function actorNames(api: Api): Promise<ActorName[]> {
  let names = asked.get(api);
  if (!names) {
    names = api.get<{ data: ActorName[] }>("/v1/actors").then((r) => r.data);
    names.catch(() => asked.delete(api)); // asked again on the next page
    asked.set(api, names);
  }
  return names;
}

/** The words for `who` as a record names it ("" stays ""). */
export function whoSaid(t: T, names: Map<string, ActorName>, who: string): string {
  if (!who) return "";
  if (who === "widget") return t("who_widget");
  const known = names.get(who);
  if (known) return known.kind === "key" ? t("who_key", { name: known.name }) : known.name;
  return /^[a-z]+_key:/.test(who) ? t("who_some_key") : t("who_some_staff");
}

/** `who => words`, the names loaded once for the session. */
export function useWho(): (who: string) => string {
  const { api, t } = useDesk();
  const [names, setNames] = useState<Map<string, ActorName> | null>(null);
  useEffect(() => {
    let live = true;
    actorNames(api)
      .then((list) => live && setNames(new Map(list.map((a) => [a.who, a]))))
      .catch(() => live && setNames(new Map())); // then said as "a staff member"
    return () => {
      live = false;
    };
  }, [api]);
  return (who) => (names ? whoSaid(t, names, who) : ""); // nothing until the names are read
}
