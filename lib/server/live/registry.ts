// The per-process live state: one LISTEN connection and one hub per watched endpoint. server.ts
// (bundled apart, or under tsx in dev) and Next's bundled route handlers load this module separately, so the state lives
// on globalThis; otherwise each copy would open its own LISTEN connection and shutdown in
// server.ts would not see the streams the route handler opened.
import "server-only";
import { findCaptureDrift, findCaptureSummariesAfter } from "@/lib/server/db/captures";
import { getEndpointById } from "@/lib/server/db/endpoints";
import { logJson } from "@/lib/server/observability/log";
import { AppError } from "@/lib/shared/errors/app-error";
import { EndpointHub, LiveSubscriber, type HubDeps } from "./hub";
import { CaptureListener } from "./listener";

interface LiveState {
  listener: CaptureListener;
  /** Group commits of captures heard of, by any process (one per endpoint per commit). */
  commits: number;
  hubs: Map<string, EndpointHub>;
  subscribers: Set<LiveSubscriber>;
  /** Subscribers per endpoint still waiting for the hub's first read. */
  joining: Map<string, number>;
  closed: boolean;
}

const g = globalThis as typeof globalThis & { __hookscopeLive?: LiveState };

function log(msg: string, error?: unknown): void {
  const detail = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
  logJson("warn", msg, detail ? { error: detail } : {});
}

const hubDeps: HubDeps = {
  fetchAfter: findCaptureSummariesAfter,
  fetchDrift: findCaptureDrift,
  async latestSeq(endpointId) {
    const row = await getEndpointById(endpointId);
    return row ? Number(row.captureSeq) : null;
  },
  log,
};

function state(): LiveState {
  if (g.__hookscopeLive) return g.__hookscopeLive;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the server sets it before opening the database");
  const hubs = new Map<string, EndpointHub>();
  const listener = new CaptureListener({
    connectionString: url,
    onNotify: (endpointId, seq) => {
      g.__hookscopeLive!.commits++;
      hubs.get(endpointId)?.notify(seq);
    },
    onDrift: (endpointId, seqs) => hubs.get(endpointId)?.notifyDrift(seqs),
    onListening: () => {
      for (const hub of hubs.values()) hub.recheck();
    },
    log,
  });
  g.__hookscopeLive = { listener, commits: 0, hubs, subscribers: new Set(), joining: new Map(), closed: false };
  return g.__hookscopeLive;
}

/**
 * Registers a subscriber with the endpoint's hub (creating the hub, and the LISTEN connection
 * when nothing opened it yet). Resolves once every capture committed from now on will reach `sub`; what was
 * committed before is the caller's to read. Rejects when the database cannot be reached.
 */
export async function joinEndpoint(endpointId: string, sub: LiveSubscriber): Promise<void> {
  const s = state();
  if (s.closed) throw shuttingDown();
  s.subscribers.add(sub);
  sub.onClose(() => {
    s.subscribers.delete(sub);
    s.hubs.get(endpointId)?.subscribers.delete(sub);
    releaseHub(s, endpointId);
  });
  s.joining.set(endpointId, (s.joining.get(endpointId) ?? 0) + 1);
  try {
    await s.listener.ensure();
    let hub = s.hubs.get(endpointId);
    if (!hub) {
      hub = new EndpointHub(endpointId, hubDeps);
      s.hubs.set(endpointId, hub);
    }
    try {
      await hub.ready;
    } catch (e) {
      // A failed first read leaves the hub unusable; the next subscriber builds a fresh one.
      if (s.hubs.get(endpointId) === hub) {
        hub.dispose();
        s.hubs.delete(endpointId);
      }
      throw e;
    }
    if (!sub.closed) hub.add(sub);
  } catch (e) {
    sub.close("error");
    // Shutdown began while this was joining (the LISTEN connection it waited for was refused):
    // that is the shutdown's 503 + Retry-After, not a failed request's 500.
    throw s.closed ? shuttingDown() : e;
  } finally {
    const n = (s.joining.get(endpointId) ?? 1) - 1;
    if (n > 0) s.joining.set(endpointId, n);
    else s.joining.delete(endpointId);
    releaseHub(s, endpointId);
  }
}

/** What a live stream or a wait gets when this process is stopping: 503 + Retry-After, so the client tries again. */
export function shuttingDown(): AppError {
  return new AppError(
    "SHUTTING_DOWN",
    "This server is shutting down. Nothing was missed: send the same request again (with the same cursor).",
  );
}

/** Drops a hub nobody uses; one that another subscriber is still joining is kept. */
function releaseHub(s: LiveState, endpointId: string): void {
  const hub = s.hubs.get(endpointId);
  if (!hub || hub.subscribers.size > 0 || s.joining.has(endpointId)) return;
  hub.dispose();
  s.hubs.delete(endpointId);
}

/**
 * Counts the group commits of captures by any process on the database, heard on this process's
 * LISTEN connection (opened now if no live stream has opened it yet): the search indexer yields
 * while the count grows (lib/server/background.ts `storedMeanwhile`). Until the connection is up,
 * and while it reconnects, nothing is counted.
 */
export function captureCommits(): () => number {
  const s = state();
  // A failed connect is logged and retried with backoff by the listener.
  s.listener.ensure().catch(() => {});
  return () => s.commits;
}

/** Group commits heard so far (one per endpoint in each); 0 while nothing listens (for /api/metrics). */
export function captureCommitsHeard(): number {
  return g.__hookscopeLive?.commits ?? 0;
}

/** Open live streams in this process (for /api/health and tests). */
export function liveSubscriberCount(): number {
  return g.__hookscopeLive?.subscribers.size ?? 0;
}

/** Whether the LISTEN connection is currently up (null when neither a live stream nor the search indexer ever used it). */
export function liveListening(): boolean | null {
  return g.__hookscopeLive ? g.__hookscopeLive.listener.listening : null;
}

/** Ends every live stream (after what is queued) and the LISTEN connection; for shutdown. */
export async function closeLive(): Promise<void> {
  const s = g.__hookscopeLive;
  if (!s || s.closed) return;
  s.closed = true;
  for (const sub of [...s.subscribers]) sub.close("shutdown");
  for (const hub of s.hubs.values()) hub.dispose();
  s.hubs.clear();
  await s.listener.close();
}
