"use client";
// An event type's inferred JSON Schema or generated code (GET /api/endpoints/:id/event-types/:type/code),
// or the whole endpoint's (GET /api/endpoints/:id/event-types/code) when type is null.
import { useQuery } from "@tanstack/react-query";
import { ZEventSchemaResponse, type TCodeLang } from "@/lib/shared/validation/event-catalogue";
import { apiJson, apiText } from "./api";

export const eventCodePath = (endpointId: string, type: string | null, lang: TCodeLang) =>
  `/api/endpoints/${endpointId}/event-types/${type === null ? "" : `${encodeURIComponent(type)}/`}code?lang=${lang}`;

export function useEventCode(endpointId: string, type: string | null, lang: TCodeLang, enabled: boolean) {
  return useQuery({
    queryKey: ["event-code", endpointId, type, lang],
    queryFn: () => apiText(eventCodePath(endpointId, type, lang)),
    enabled,
    staleTime: 5_000,
    retry: false,
  });
}

/** How many captures a type's schema was merged from, and how far the endpoint is merged. */
export function useEventSchemaInfo(endpointId: string, type: string | null) {
  return useQuery({
    queryKey: ["event-schema", endpointId, type],
    queryFn: () => apiJson(`/api/endpoints/${endpointId}/event-types/${encodeURIComponent(type ?? "")}/schema`, ZEventSchemaResponse),
    enabled: type !== null,
    staleTime: 5_000,
    retry: false,
  });
}
