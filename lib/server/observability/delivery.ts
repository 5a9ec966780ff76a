// The one hook every outgoing send (forward attempt, resend, test event) reports to: it counts the
// delivery in Prometheus (hookscope_deliveries_total{kind,outcome}, duration histogram) and, when
// LOG_DELIVERIES is on, writes one JSON log line with ids and timing. The target is logged as its
// origin only: paths and query strings often carry tokens.
import "server-only";
import type { OutgoingResult } from "@/lib/server/delivery/outgoing";
import { env } from "@/lib/server/env";
import { logJson } from "./log";
import { observeDelivery, type TDeliveryKind, type TDeliveryOutcome } from "./metrics";

export interface DeliveryRecord {
  kind: TDeliveryKind;
  /** What sendOutgoing returned. */
  result: OutgoingResult;
  /** The URL sent to (only its origin is logged). */
  url: string;
  endpointId: string;
  captureId?: string | null;
  deliveryId?: string | null;
  /** 1 for the first attempt of a forward, 2 for its first retry, … */
  attempt?: number;
}

/** Maps a send's result to the metric's outcome label. */
export function deliveryOutcome(result: OutgoingResult): TDeliveryOutcome {
  if (result.ok) return result.response.status >= 200 && result.response.status < 300 ? "success" : "http_error";
  switch (result.error.code) {
    case "blocked_address":
    case "invalid_url":
      return "blocked";
    case "timeout":
      return "timeout";
    default:
      return "network_error";
  }
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Call once per attempt, after sendOutgoing returned. */
export function recordDelivery(d: DeliveryRecord): void {
  const outcome = deliveryOutcome(d.result);
  observeDelivery(d.kind, outcome, d.result.durationMs / 1000);
  if (!env().LOG_DELIVERIES) return;
  logJson("info", "delivery", {
    kind: d.kind,
    deliveryId: d.deliveryId ?? undefined,
    captureId: d.captureId ?? undefined,
    endpointId: d.endpointId,
    attempt: d.attempt,
    target: originOf(d.url),
    outcome,
    status: d.result.ok ? d.result.response.status : undefined,
    error: d.result.ok ? undefined : d.result.error.code,
    bytes: d.result.ok ? d.result.response.bodySize : undefined,
    durationMs: d.result.durationMs,
    firstByteMs: d.result.ok ? d.result.firstByteMs : undefined,
  });
}
