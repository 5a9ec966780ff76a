// Replay runs: send a frozen set of captures to a target, check each answer, compare two runs.
import {
  ZCompareRunsQuery,
  ZCreateReplayRunRequest,
  ZReplayRun,
  ZReplayRunDetail,
  ZReplayRunList,
  ZReplaySend,
  ZReplaySendsQuery,
  ZRunComparison,
} from "../../validation/replay";
import type { Operation } from "./types";

export const REPLAY_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/endpoints/{id}/replay-runs",
    tag: "Replay runs",
    summary: "The endpoint's replay runs, newest first",
    keyed: true,
    responses: { 200: { description: "The runs (at most 50).", schema: ZReplayRunList } },
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/replay-runs",
    tag: "Replay runs",
    summary: "Start a run: send the chosen captures to a target and check every answer",
    description:
      "Captures are chosen by a search query (the dashboard's syntax), by ids, or by event type, and frozen in the order received (at most 10,000). Sends go out in the background through the same outgoing address policy as resend; poll the run for progress.",
    keyed: true,
    body: ZCreateReplayRunRequest,
    responses: { 201: { description: "The run, running.", schema: ZReplayRun } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/replay-runs/compare",
    tag: "Replay runs",
    summary: "Compare two runs: per capture, what the target answered differently",
    description: "Regressions (passed in a, failed in b) first. Volatile headers such as Date are ignored.",
    keyed: true,
    query: ZCompareRunsQuery,
    responses: { 200: { description: "The differences.", schema: ZRunComparison } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/replay-runs/{runId}",
    tag: "Replay runs",
    summary: "A run with its verdict, counts and a page of sends (failures first)",
    keyed: true,
    query: ZReplaySendsQuery,
    responses: { 200: { description: "The run and one page of sends.", schema: ZReplayRunDetail } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/replay-runs/{runId}/sends/{position}",
    tag: "Replay runs",
    summary: "One send of a run: the request sent and the answer (body up to 64 KiB)",
    keyed: true,
    responses: { 200: { description: "The send.", schema: ZReplaySend } },
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/replay-runs/{runId}/cancel",
    tag: "Replay runs",
    summary: "Stop a running run",
    keyed: true,
    responses: { 200: { description: "The run, cancelled (or as it was when it had already ended).", schema: ZReplayRun } },
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/replay-runs/{runId}/retry-failed",
    tag: "Replay runs",
    summary: "Start a new run over the sends that did not pass (failed, or never sent)",
    keyed: true,
    responses: { 201: { description: "The new run, running.", schema: ZReplayRun } },
  },
];
