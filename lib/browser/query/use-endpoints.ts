"use client";
// Endpoint queries and mutations for the home page and the dashboard header.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  ZCreateEndpointResponse,
  ZEndpoint,
  ZEndpointList,
  type TCreateEndpointResponse,
  type TEndpoint,
  type TUpdateEndpointRequest,
} from "@/lib/shared/validation/endpoints";
import { ApiError, apiJson, jsonBody } from "./api";
import { endpointKeys } from "./endpoint-keys";
import { rememberManagementKey } from "./management-key";

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
      rememberManagementKey(created.id, created.managementKey);
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
