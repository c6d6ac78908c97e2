/**
 * A background job's state, read every second until it is done (a bulk job, an import): the
 * answer shown as it comes, `onDone` called once it is done. A job that is gone or not ours
 * stays so (a 4xx stops the asking); a network hiccup is asked again a little later.
 */

import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api";
import { useDesk } from "./app";

export function useJob<J extends { status: string }>(path: string, onDone: () => void): J | null {
  const { api } = useDesk();
  const [job, setJob] = useState<J | null>(null);
  useEffect(() => {
    let live = true;
    let timer = 0;
    setJob(null);
    const poll = () =>
      api
        .get<J>(path)
        .then((next) => {
          if (!live) return;
          setJob(next);
          if (next.status === "done") onDone();
          else timer = window.setTimeout(poll, 1000);
        })
        .catch((error) => {
          if (live && !(error instanceof ApiError && error.status >= 400 && error.status < 500)) {
            timer = window.setTimeout(poll, 3000);
          }
        });
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [path]);
  return job;
}
