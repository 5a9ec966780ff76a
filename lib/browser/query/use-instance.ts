"use client";
// What this instance requires and allows (GET /api/instance): the endpoint creation token, the
// retention ceilings, expiry. Changes only with a restart, so it is fetched once per page load.
import { useQuery } from "@tanstack/react-query";
import { ZInstanceInfo } from "@/lib/shared/validation/endpoints";
import { apiJson } from "./api";

export const instanceKeys = { info: ["instance"] as const };

export function useInstanceInfo() {
  return useQuery({
    queryKey: instanceKeys.info,
    queryFn: ({ signal }) => apiJson("/api/instance", ZInstanceInfo, { signal }),
    staleTime: Infinity,
  });
}
