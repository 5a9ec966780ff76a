"use client";
// Share links: the endpoint owner's side (list, create, revoke; management key by cookie) and the
// holder's side (what a token opens, its captures and their details; the token alone).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import {
  ZCreatedShareLink,
  ZSharedCapture,
  ZSharedView,
  ZShareLink,
  ZShareLinkList,
  type TCreateShareRequest,
} from "@/lib/shared/validation/shares";
import { ApiError, apiJson, jsonBody } from "./api";
import { capturePagePath, liveEventsQuery, type TCaptureSource } from "./use-captures";

export const shareKeys = {
  all: ["shares"] as const,
  links: (endpointId: string) => [...shareKeys.all, "links", endpointId] as const,
  /** Everything read through one token. */
  token: (token: string) => [...shareKeys.all, "token", token] as const,
  view: (token: string) => [...shareKeys.token(token), "view"] as const,
  captures: (token: string) => [...shareKeys.token(token), "captures"] as const,
  captureDetails: (token: string) => [...shareKeys.token(token), "capture"] as const,
  capture: (token: string, captureId: string) => [...shareKeys.captureDetails(token), captureId] as const,
};

const linksPath = (endpointId: string) => `/api/endpoints/${encodeURIComponent(endpointId)}/shares`;
export const sharePath = (token: string, rest = "") => `/api/s/${encodeURIComponent(token)}${rest}`;

export function useShareLinks(endpointId: string, opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: shareKeys.links(endpointId),
    queryFn: ({ signal }) => apiJson(linksPath(endpointId), ZShareLinkList, { signal }).then((r) => r.items),
    enabled: opts.enabled ?? true,
  });
}

export function useCreateShareLink(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<TCreateShareRequest>) => apiJson(linksPath(endpointId), ZCreatedShareLink, jsonBody("POST", input)),
    onSuccess: () => qc.invalidateQueries({ queryKey: shareKeys.links(endpointId) }),
  });
}

export function useRevokeShareLink(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (shareId: string) => apiJson(`${linksPath(endpointId)}/${encodeURIComponent(shareId)}`, ZShareLink, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: shareKeys.links(endpointId) }),
  });
}

/**
 * How often an open share view asks whether its link still works, so a revoked link says so
 * within seconds. An endpoint link learns sooner: its stream ends (the server re-checks every 5 s)
 * and the view asks again at once.
 */
export const SHARE_RECHECK_MS = 10_000;

/** The token opens nothing any more (revoked, expired: 410; deleted: 404): nothing to ask again. */
export function isShareGone(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 404 || e.status === 410);
}

export function useSharedView(token: string) {
  return useQuery({
    queryKey: shareKeys.view(token),
    queryFn: ({ signal }) => apiJson(sharePath(token), ZSharedView, { signal }),
    refetchInterval: (q) => (isShareGone(q.state.error) ? false : SHARE_RECHECK_MS),
    refetchOnWindowFocus: (q) => !isShareGone(q.state.error),
    retry: (n, e) => n < 2 && !isShareGone(e),
  });
}

/** The capture list and live stream of a share link, in the shapes the dashboard uses. */
export function useSharedCaptureSource(token: string, live: boolean): TCaptureSource {
  return useMemo(
    () => ({
      key: shareKeys.captures(token),
      arrivalsId: `share:${token}`,
      pagePath: (cursor: string | null, limit?: number) => {
        // Same query string as the dashboard's list, on the share route.
        const query = capturePagePath("x", cursor, limit).split("?")[1];
        return sharePath(token, `/captures?${query}`);
      },
      eventsPath: live ? (after: number) => sharePath(token, `/events?${liveEventsQuery(after)}`) : null,
      detailKey: (captureId: string) => shareKeys.capture(token, captureId),
      detailsKey: shareKeys.captureDetails(token),
    }),
    [token, live],
  );
}

export function useSharedCapture(token: string, captureId: string) {
  return useQuery({
    queryKey: shareKeys.capture(token, captureId),
    queryFn: ({ signal }) => apiJson(sharePath(token, `/captures/${encodeURIComponent(captureId)}`), ZSharedCapture, { signal }),
    staleTime: Infinity,
  });
}
