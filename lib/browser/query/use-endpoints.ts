"use client";
// Endpoint queries and mutations for the home page and the dashboard header.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  ZCreateEndpointResponse,
  ZDashboardLink,
  ZEndpoint,
  ZEndpointList,
  type TCreateEndpointResponse,
  type TEndpoint,
  type TUpdateEndpointRequest,
} from "@/lib/shared/validation/endpoints";
import { ApiError, apiCall, apiJson, jsonBody } from "./api";
import { endpointKeys } from "./endpoint-keys";
import { forgetCreatedKey, parseAccessInput, rememberCreatedKey } from "./management-key";

/** Endpoints this browser holds key cookies for. */
export function useEndpoints() {
  return useQuery({
    queryKey: endpointKeys.lists(),
    queryFn: ({ signal }) => apiJson("/api/endpoints", ZEndpointList, { signal }),
    // Counts and last activity change all the time; coming back home should show them fresh.
    staleTime: 0,
  });
}

export function useEndpoint(id: string, opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: endpointKeys.detail(id),
    queryFn: ({ signal }) => apiJson(`/api/endpoints/${encodeURIComponent(id)}`, ZEndpoint, { signal }),
    enabled: opts.enabled ?? true,
    // A wrong or missing key is not going to fix itself by asking again.
    retry: (count, e) => count < 2 && !(e instanceof ApiError && (e.status === 404 || e.status === 401)),
  });
}

export function useCreateEndpoint() {
  const qc = useQueryClient();
  return useMutation({
    /** `token`: the instance's endpoint creation token, when it requires one (GET /api/instance). */
    mutationFn: (opts: { token?: string } = {}): Promise<TCreateEndpointResponse> => {
      const init = jsonBody("POST", {});
      if (opts.token) init.headers = { ...(init.headers as Record<string, string>), authorization: `Bearer ${opts.token}` };
      return apiJson("/api/endpoints", ZCreateEndpointResponse, init);
    },
    onSuccess: (created) => {
      rememberCreatedKey(created.id, created.managementKey);
      // The dashboard opens with the capture URL at once instead of a loading state.
      const { managementKey: _key, ...endpoint } = created;
      qc.setQueryData(endpointKeys.detail(created.id), endpoint);
      void qc.invalidateQueries({ queryKey: endpointKeys.lists() });
    },
  });
}

export function useUpdateEndpoint(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TUpdateEndpointRequest): Promise<TEndpoint> =>
      apiJson(`/api/endpoints/${encodeURIComponent(id)}`, ZEndpoint, jsonBody("PATCH", input)),
    onSuccess: (updated) => {
      qc.setQueryData(endpointKeys.detail(id), updated);
      void qc.invalidateQueries({ queryKey: endpointKeys.lists() });
    },
  });
}

/**
 * Adds an endpoint to this browser from a pasted management key or dashboard link: the key goes
 * as a Bearer header to the session route, which sets the httpOnly key cookie.
 */
export function useAddEndpoint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (pasted: string): Promise<TEndpoint> => {
      const input = parseAccessInput(pasted);
      if (input.kind === "invalid") throw new ApiError(400, "BAD_REQUEST", input.message);
      const auth = { method: "POST", headers: { Authorization: `Bearer ${input.key}` } };
      try {
        if (input.kind === "key") return await apiJson("/api/endpoints/session", ZEndpoint, auth);
        const path = `/api/endpoints/${encodeURIComponent(input.endpointId)}`;
        await apiCall(`${path}/session`, auth);
        return await apiJson(path, ZEndpoint);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          throw new ApiError(
            404,
            e.code,
            input.kind === "key"
              ? "No endpoint opens with this key: it was deleted, or the key was cut short when it was copied."
              : "This dashboard link's key does not open its endpoint: the endpoint was deleted, or the link was cut short when it was copied.",
          );
        }
        throw e;
      }
    },
    onSuccess: (endpoint) => {
      qc.setQueryData(endpointKeys.detail(endpoint.id), endpoint);
      void qc.invalidateQueries({ queryKey: endpointKeys.lists() });
    },
  });
}

/**
 * The full-access dashboard link and the key, asked of the server (which reads the key cookie), so
 * every tab of this browser can offer it. Kept out of the cache once the dialog closes.
 */
export function useDashboardLink(endpointId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...endpointKeys.detail(endpointId), "dashboard-link"],
    queryFn: ({ signal }) =>
      apiJson(`/api/endpoints/${encodeURIComponent(endpointId)}/dashboard-link`, ZDashboardLink, { method: "POST", signal }),
    enabled,
    gcTime: 0,
    staleTime: Infinity,
    retry: (count, e) => count < 2 && !(e instanceof ApiError && e.status < 500 && e.status !== 0),
  });
}

export function useDeleteEndpoint(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiCall(`/api/endpoints/${encodeURIComponent(endpointId)}`, { method: "DELETE" }),
    onSuccess: () => {
      forgetCreatedKey(endpointId);
      // The list drops it at once; the dashboard's own queries go with the page.
      qc.setQueryData(endpointKeys.lists(), (old: { items: TEndpoint[] } | undefined) =>
        old ? { items: old.items.filter((e) => e.id !== endpointId) } : old,
      );
      void qc.invalidateQueries({ queryKey: endpointKeys.lists() });
    },
  });
}

/** This browser forgets an endpoint (its key cookie is cleared); the endpoint itself stays. */
export function useForgetEndpoint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (endpointId: string) => apiCall(`/api/endpoints/${encodeURIComponent(endpointId)}/session`, { method: "DELETE" }),
    onSuccess: (_r, endpointId) => {
      forgetCreatedKey(endpointId);
      qc.setQueryData(endpointKeys.lists(), (old: { items: TEndpoint[] } | undefined) =>
        old ? { items: old.items.filter((e) => e.id !== endpointId) } : old,
      );
      qc.removeQueries({ queryKey: endpointKeys.detail(endpointId) });
      void qc.invalidateQueries({ queryKey: endpointKeys.lists() });
    },
  });
}

/** Replaces the management key (POST /api/endpoints/:id/key); this browser's cookie gets the new one, answered once. */
export function useReplaceKey(endpointId: string) {
  return useMutation({
    mutationFn: () => apiJson(`/api/endpoints/${encodeURIComponent(endpointId)}/key`, ZDashboardLink, { method: "POST" }),
  });
}
