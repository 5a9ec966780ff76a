// Prometheus metrics for one process, served at /api/metrics by server.ts (see serveMetrics).
// server.ts (tsx) and Next's bundled route handlers load this module separately, so the registry
// and its metrics live on globalThis: both copies count into the same series. Each replica
// exposes its own figures; Prometheus scrapes every replica and sums.
import "server-only";
import client from "prom-client";
import type { BodyBudget } from "@/lib/server/capture/body-budget";
import { captureCommitsHeard, liveSubscriberCount } from "@/lib/server/live/registry";

/** Why a capture request was refused or not stored (the `reason` label). */
export type TRejectionReason =
  "not_found" | "oversize" | "rate_limited_client" | "rate_limited_endpoint" | "database_unavailable" | "aborted" | "shutting_down";

/** What kind of outgoing send a delivery was (the `kind` label). */
export type TDeliveryKind = "forward" | "resend" | "test_event" | "replay";

/**
 * How a delivery ended (the `outcome` label): a 2xx answer; any other answer; no answer
 * (connection refused or reset, DNS failure, timeout); or refused before sending (SSRF guard).
 */
export type TDeliveryOutcome = "success" | "http_error" | "network_error" | "timeout" | "blocked";

interface Metrics {
  registry: client.Registry;
  captures: client.Counter;
  captureBytes: client.Counter;
  rejections: client.Counter<"reason">;
  batchRows: client.Histogram;
  commitSeconds: client.Histogram;
  failedBatches: client.Counter;
  deliveries: client.Counter<"kind" | "outcome">;
  deliverySeconds: client.Histogram<"kind">;
}

const g = globalThis as typeof globalThis & { __hookscopeMetrics?: Metrics };

function create(): Metrics {
  const registry = new client.Registry();
  // process_resident_memory_bytes, process_cpu_seconds_total, nodejs_eventloop_lag_*, heap, GC.
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    captures: new client.Counter({
      name: "hookscope_captures_total",
      help: "Captures stored and acknowledged (2xx or the endpoint's configured status) after their batch committed.",
      registers,
    }),
    captureBytes: new client.Counter({
      name: "hookscope_capture_bytes_total",
      help: "Body bytes of the captures counted in hookscope_captures_total.",
      registers,
    }),
    rejections: new client.Counter({
      name: "hookscope_capture_rejections_total",
      help: "Capture requests refused or not stored, by reason (oversize attempts are still recorded as a row).",
      labelNames: ["reason"] as const,
      registers,
    }),
    batchRows: new client.Histogram({
      name: "hookscope_capture_batch_rows",
      help: "Rows written by one group commit.",
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
      registers,
    }),
    commitSeconds: new client.Histogram({
      name: "hookscope_capture_commit_seconds",
      help: "Time from a group commit's start to its COMMIT returning (failed ones included).",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    failedBatches: new client.Counter({
      name: "hookscope_capture_batch_failures_total",
      help: "Group commits that failed (every capture in them was answered 503).",
      registers,
    }),
    deliveries: new client.Counter({
      name: "hookscope_deliveries_total",
      help: "Outgoing sends (forward attempts, resends, test events) by kind and outcome.",
      labelNames: ["kind", "outcome"] as const,
      registers,
    }),
    deliverySeconds: new client.Histogram({
      name: "hookscope_delivery_duration_seconds",
      help: "Time from an outgoing send's start to its answer (or failure).",
      labelNames: ["kind"] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}

function metrics(): Metrics {
  if (g.__hookscopeMetrics) return g.__hookscopeMetrics;
  const m = create();
  // Read at scrape time, so it is exact and costs nothing per subscriber.
  new client.Gauge({
    name: "hookscope_live_subscribers",
    help: "Open live (SSE) streams in this process.",
    registers: [m.registry],
    collect() {
      this.set(liveSubscriberCount());
    },
  });
  new client.Counter({
    name: "hookscope_capture_commits_heard_total",
    help: "Group commits of captures by any process on the database, heard on this process's LISTEN connection (one per endpoint in each); the search indexer yields while it grows.",
    registers: [m.registry],
    collect() {
      this.reset();
      this.inc(captureCommitsHeard());
    },
  });
  g.__hookscopeMetrics = m;
  return m;
}

/** A capture was committed and is being answered. */
export function countCapture(bodyBytes: number): void {
  const m = metrics();
  m.captures.inc();
  m.captureBytes.inc(bodyBytes);
}

export function countRejection(reason: TRejectionReason): void {
  metrics().rejections.inc({ reason });
}

/** One group commit: its rows and how long it took; `ok` false when it failed. */
export function observeBatch(rows: number, seconds: number, ok: boolean): void {
  const m = metrics();
  m.commitSeconds.observe(seconds);
  if (ok) m.batchRows.observe(rows);
  else m.failedBatches.inc();
}

/** One outgoing send. Call it once per attempt (a retried forward counts each attempt). */
export function observeDelivery(kind: TDeliveryKind, outcome: TDeliveryOutcome, seconds: number): void {
  const m = metrics();
  m.deliveries.inc({ kind, outcome });
  m.deliverySeconds.observe({ kind }, seconds);
}

/** Gauges of the capture body budget (lib/server/capture/body-budget.ts), read at scrape time. */
export function watchBodyBudget(budget: BodyBudget): void {
  const registers = [metrics().registry];
  const gauge = (name: string, help: string, read: () => number) =>
    new client.Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  gauge("hookscope_capture_body_bytes_in_flight", "Capture body bytes read and not yet committed.", () => budget.inUse);
  gauge("hookscope_capture_body_bytes_in_flight_max", "The most capture body bytes held at once since start.", () => budget.peakInUse);
  gauge(
    "hookscope_capture_body_budget_bytes",
    "CAPTURE_BODY_BUDGET_BYTES: past it, bodies being read are paused.",
    () => budget.limitBytes,
  );
  gauge("hookscope_capture_bodies_waiting", "Capture bodies paused now for want of budget.", () => budget.waiting);
  gauge("hookscope_capture_body_pauses", "Times a capture body was paused for want of budget since start.", () => budget.pauseCount);
}

/** The exposition text and its content type. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
