"use client";
// Response rules of one endpoint (Settings → Response): read, replace, and try against a capture.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ZResponseRulesDto, type TPutResponseRulesRequest, type TResponseRulesDto } from "@/lib/shared/validation/response-rules";
import {
  ZTryResponseRulesResult,
  type TTryResponseRulesRequest,
  type TTryResponseRulesResult,
} from "@/lib/shared/validation/response-rule-try";
import { apiJson, jsonBody } from "./api";
import { endpointKeys } from "./endpoint-keys";

const rulesKey = (id: string) => [...endpointKeys.detail(id), "response-rules"] as const;
const path = (id: string) => `/api/endpoints/${encodeURIComponent(id)}/response-rules`;

export function useResponseRules(endpointId: string) {
  return useQuery({
    queryKey: rulesKey(endpointId),
    queryFn: ({ signal }) => apiJson(path(endpointId), ZResponseRulesDto, { signal }),
  });
}

export function usePutResponseRules(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TPutResponseRulesRequest): Promise<TResponseRulesDto> =>
      apiJson(path(endpointId), ZResponseRulesDto, jsonBody("PUT", input)),
    onSuccess: (saved) => qc.setQueryData(rulesKey(endpointId), saved),
  });
}

export function useTryResponseRules(endpointId: string) {
  return useMutation({
    mutationFn: (input: TTryResponseRulesRequest): Promise<TTryResponseRulesResult> =>
      apiJson(`${path(endpointId)}/try`, ZTryResponseRulesResult, jsonBody("POST", input)),
  });
}
