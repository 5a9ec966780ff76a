"use client";
// Signing secrets of one endpoint: list, add, edit (label, scheme, options) and remove. A change
// re-judges every capture, so it invalidates the signature keys and the capture lists (whose
// rows carry badge summaries).
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { z } from "zod";
import {
  ZSigningSecret,
  ZSigningSecretList,
  type TCreateSigningSecretRequest,
  type TUpdateSigningSecretRequest,
} from "@/lib/shared/validation/signatures";
import { captureKeys } from "./capture-keys";
import { endpointPath, signatureApi } from "./signature-api";
import { signatureKeys } from "./signature-keys";

function invalidate(qc: QueryClient): Promise<unknown> {
  return Promise.all([qc.invalidateQueries({ queryKey: signatureKeys.all }), qc.invalidateQueries({ queryKey: captureKeys.lists() })]);
}

export function useSigningSecrets(endpointId: string) {
  return useQuery({
    queryKey: signatureKeys.secrets(endpointId),
    queryFn: ({ signal }) => signatureApi(endpointPath(endpointId, "/secrets"), ZSigningSecretList, { signal }).then((r) => r.items),
  });
}

export function useCreateSigningSecret(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TCreateSigningSecretRequest) =>
      signatureApi(endpointPath(endpointId, "/secrets"), ZSigningSecret, { method: "POST", json: input }),
    onSuccess: () => invalidate(qc),
  });
}

export function useUpdateSigningSecret(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: TUpdateSigningSecretRequest & { id: string }) =>
      signatureApi(endpointPath(endpointId, `/secrets/${encodeURIComponent(id)}`), ZSigningSecret, { method: "PATCH", json: input }),
    onSuccess: () => invalidate(qc),
  });
}

export function useDeleteSigningSecret(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      signatureApi(endpointPath(endpointId, `/secrets/${encodeURIComponent(id)}`), z.unknown().nullable(), { method: "DELETE" }),
    onSuccess: () => invalidate(qc),
  });
}
