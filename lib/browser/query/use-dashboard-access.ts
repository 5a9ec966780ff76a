"use client";
// Opening /endpoints/<id>#key=<managementKey> (a "dashboard link") gives this browser access: the
// key goes to POST /api/endpoints/:id/session, which sets the httpOnly key cookie, and the
// fragment is removed from the address bar (and history) so it is not shared by accident.
// Queries wait for this so they never run with the old (missing) cookie.
import { useEffect, useState } from "react";
import { apiCall, describeError } from "./api";
import { keyFromFragment } from "./management-key";

export type TDashboardAccess = { state: "checking" } | { state: "ready" } | { state: "error"; message: string };

export function useDashboardAccess(endpointId: string): TDashboardAccess {
  const [access, setAccess] = useState<TDashboardAccess>({ state: "checking" });

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const key = keyFromFragment(window.location.hash);
      if (key) {
        const { pathname, search } = window.location;
        window.history.replaceState(window.history.state, "", pathname + search);
        try {
          await apiCall(`/api/endpoints/${encodeURIComponent(endpointId)}/session`, {
            method: "POST",
            headers: { Authorization: `Bearer ${key}` },
          });
        } catch (e) {
          if (!cancelled) {
            const status = (e as { status?: number }).status;
            setAccess({
              state: "error",
              message:
                status === 404
                  ? "This dashboard link's key does not open this endpoint: the endpoint was deleted, or the link was cut short when it was copied."
                  : `Could not use the dashboard link: ${describeError(e)}`,
            });
          }
          return;
        }
      }
      if (!cancelled) setAccess({ state: "ready" });
    })();
    return () => {
      cancelled = true;
    };
  }, [endpointId]);

  return access;
}
