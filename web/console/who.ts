/**
 * Who acted, by name: records name who took a payment, made a charge or gave money back as
 * the API knew them (a login's e-mail, `secret_key:<id>`); the desk shows the staff member's
 * name, or "API key «name»", read once a session from `GET /v1/actors`. Someone not found
 * (a record of another time) is said as "a staff member" or "an API key", never as a raw id;
 * the platform's own work as "the system" (who_words.ts).
 */
import { useEffect, useState } from "preact/hooks";
import type { Api } from "./api";
import { useDesk } from "./app";
import { type ActorName, type ByKind, movedBy, whoSaid } from "./who_words";

export type { ActorName, ByKind };

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

/** `who => words` (with a gift card movement's `by_kind`: the customer and the system said as
 * such), the names loaded once for the session. */
export function useWho(): (who: string, kind?: ByKind) => string {
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
  // nothing until the names are read
  return (who, kind) => (names ? (kind ? movedBy(t, names, who, kind) : whoSaid(t, names, who)) : "");
}
