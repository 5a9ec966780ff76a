"use client";
// Deliveries and forward rules: a capture's deliveries (resends, forward attempts, CLI forwards),
// the resend mutation, and an endpoint's forward rules. Keys come from one factory; a change
// invalidates its prefix once. Forward attempts are made by a server worker, not by this page,
// so an open delivery list polls while it is on screen.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { ZDelivery, ZDeliveryPage, type TResendRequest } from "@/lib/shared/validation/deliveries";
import {
  ZForwardRule,
  ZForwardRuleList,
  ZRetryFailedResult,
  type TCreateForwardRuleRequest,
  type TForwardRule,
  type TUpdateForwardRuleRequest,
} from "@/lib/shared/validation/forward-rules";
import { apiCall, apiJson, jsonBody } from "./api";

export const deliveryKeys = {
  all: ["deliveries"] as const,
  capture: (captureId: string) => [...deliveryKeys.all, "capture", captureId] as const,
  rules: (endpointId: string) => [...deliveryKeys.all, "rules", endpointId] as const,
};

/** How often an open delivery list asks again (forward retries are scheduled by the server). */
export const DELIVERY_POLL_MS = 4000;

const capturePath = (captureId: string, rest: string) => `/api/captures/${encodeURIComponent(captureId)}${rest}`;
const rulesPath = (endpointId: string, rest = "") => `/api/endpoints/${encodeURIComponent(endpointId)}/forward-rules${rest}`;

export function useDeliveries(captureId: string) {
  const query = useInfiniteQuery({
    queryKey: deliveryKeys.capture(captureId),
    queryFn: ({ pageParam, signal }) => {
      const q = new URLSearchParams({ limit: "50" });
      if (pageParam) q.set("cursor", pageParam);
      return apiJson(capturePath(captureId, `/deliveries?${q}`), ZDeliveryPage, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: DELIVERY_POLL_MS,
  });
  const deliveries = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  return { ...query, deliveries };
}

export function useResend(captureId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TResendRequest) => apiJson(capturePath(captureId, "/resend"), ZDelivery, jsonBody("POST", input)),
    onSuccess: () => qc.invalidateQueries({ queryKey: deliveryKeys.capture(captureId) }),
  });
}

export function useForwardRules(endpointId: string) {
  return useQuery({
    queryKey: deliveryKeys.rules(endpointId),
    queryFn: ({ signal }) => apiJson(rulesPath(endpointId), ZForwardRuleList, { signal }).then((r) => r.items),
    // The outbox counts move while captures are forwarded.
    refetchInterval: DELIVERY_POLL_MS,
  });
}

export function useCreateForwardRule(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TCreateForwardRuleRequest) => apiJson(rulesPath(endpointId), ZForwardRule, jsonBody("POST", input)),
    onSuccess: () => qc.invalidateQueries({ queryKey: deliveryKeys.rules(endpointId) }),
  });
}

export function useUpdateForwardRule(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: TUpdateForwardRuleRequest & { id: string }) =>
      apiJson(rulesPath(endpointId, `/${encodeURIComponent(id)}`), ZForwardRule, jsonBody("PATCH", input)),
    // On/off shows at once; the refetch after the answer (or an error) puts the truth back.
    // A poll or refetch already in flight would land after this and flip the switch back, so it is
    // cancelled first (cancelling reverts to the data before it started, hence before the write).
    onMutate: async ({ id, enabled }) => {
      if (enabled === undefined) return;
      await qc.cancelQueries({ queryKey: deliveryKeys.rules(endpointId) });
      qc.setQueryData<TForwardRule[]>(deliveryKeys.rules(endpointId), (rules) => rules?.map((r) => (r.id === id ? { ...r, enabled } : r)));
    },
    onSettled: () => qc.invalidateQueries({ queryKey: deliveryKeys.rules(endpointId) }),
  });
}

export function useDeleteForwardRule(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiCall(rulesPath(endpointId, `/${encodeURIComponent(id)}`), { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: deliveryKeys.rules(endpointId) }),
  });
}

/** Bulk retry: every capture the rule gave up on is queued again. */
export function useRetryFailedForwards(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiJson(rulesPath(endpointId, `/${encodeURIComponent(id)}/retry-failed`), ZRetryFailedResult, { method: "POST" }),
    onSettled: () => qc.invalidateQueries({ queryKey: deliveryKeys.rules(endpointId) }),
  });
}
