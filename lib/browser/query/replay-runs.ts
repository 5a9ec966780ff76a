"use client";
// Replay runs: the endpoint's runs, one run with a page of its sends (polled every second while it
// runs, so the progress bar moves), one send, the comparison of two runs, and the start, cancel
// and retry-failed mutations. The runs are sent by the server, so the page polls; nothing here sends.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  ZReplayRun,
  ZReplayRunDetail,
  ZReplayRunList,
  ZReplaySend,
  ZRunComparison,
  type TCreateReplayRunRequest,
} from "@/lib/shared/validation/replay";
import { apiJson, jsonBody } from "./api";

export const replayKeys = {
  all: ["replay-runs"] as const,
  list: (endpointId: string) => [...replayKeys.all, endpointId, "list"] as const,
  run: (endpointId: string, runId: string, only: string, limit: number) =>
    [...replayKeys.all, endpointId, "run", runId, only, limit] as const,
  send: (endpointId: string, runId: string, position: number) => [...replayKeys.all, endpointId, "send", runId, position] as const,
  compare: (endpointId: string, a: string, b: string) => [...replayKeys.all, endpointId, "compare", a, b] as const,
};

/** How often a running run is asked for again: the progress should feel live. */
export const RUN_POLL_MS = 1000;

const runsPath = (endpointId: string, rest = "") => `/api/endpoints/${encodeURIComponent(endpointId)}/replay-runs${rest}`;

export function useReplayRuns(endpointId: string, enabled = true) {
  return useQuery({
    queryKey: replayKeys.list(endpointId),
    queryFn: ({ signal }) => apiJson(runsPath(endpointId), ZReplayRunList, { signal }).then((r) => r.items),
    enabled,
    refetchInterval: (q) => (q.state.data?.some((r) => r.state === "running") ? RUN_POLL_MS : false),
  });
}

export function useReplayRun(endpointId: string, runId: string | null, opts: { only: "all" | "failed"; limit: number }) {
  return useQuery({
    queryKey: replayKeys.run(endpointId, runId ?? "", opts.only, opts.limit),
    queryFn: ({ signal }) =>
      apiJson(runsPath(endpointId, `/${encodeURIComponent(runId!)}?only=${opts.only}&limit=${opts.limit}`), ZReplayRunDetail, { signal }),
    enabled: runId !== null,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.run.state === "running" ? RUN_POLL_MS : false),
  });
}

export function useReplaySend(endpointId: string, runId: string, position: number | null) {
  return useQuery({
    queryKey: replayKeys.send(endpointId, runId, position ?? -1),
    queryFn: ({ signal }) => apiJson(runsPath(endpointId, `/${encodeURIComponent(runId)}/sends/${position}`), ZReplaySend, { signal }),
    enabled: position !== null,
    staleTime: Infinity,
  });
}

export function useRunComparison(endpointId: string, a: string | null, b: string | null) {
  return useQuery({
    queryKey: replayKeys.compare(endpointId, a ?? "", b ?? ""),
    queryFn: ({ signal }) => apiJson(runsPath(endpointId, `/compare?${new URLSearchParams({ a: a!, b: b! })}`), ZRunComparison, { signal }),
    enabled: a !== null && b !== null,
  });
}

function useRunMutation<I, O>(endpointId: string, request: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: () => qc.invalidateQueries({ queryKey: [...replayKeys.all, endpointId] }),
  });
}

export function useStartReplayRun(endpointId: string) {
  return useRunMutation(endpointId, (input: TCreateReplayRunRequest) => apiJson(runsPath(endpointId), ZReplayRun, jsonBody("POST", input)));
}

export function useCancelReplayRun(endpointId: string) {
  return useRunMutation(endpointId, (runId: string) =>
    apiJson(runsPath(endpointId, `/${encodeURIComponent(runId)}/cancel`), ZReplayRun, { method: "POST" }),
  );
}

export function useRetryFailedRun(endpointId: string) {
  return useRunMutation(endpointId, (runId: string) =>
    apiJson(runsPath(endpointId, `/${encodeURIComponent(runId)}/retry-failed`), ZReplayRun, { method: "POST" }),
  );
}
