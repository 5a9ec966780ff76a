// Query keys for signing secrets, verdicts and badge summaries, from one factory so that one
// prefix invalidation (signatureKeys.all) refreshes all of them after a secret changes.
export const signatureKeys = {
  all: ["signatures"] as const,
  secrets: (endpointId: string) => [...signatureKeys.all, "secrets", endpointId] as const,
  verdict: (captureId: string) => [...signatureKeys.all, "verdict", captureId] as const,
  summary: (endpointId: string, captureId: string) => [...signatureKeys.all, "summary", endpointId, captureId] as const,
};
