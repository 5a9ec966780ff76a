"use client";
// Runs the capture comparison (lib/shared/diff/compare.ts) in a Web Worker, so diffing 1 MiB bodies never
// blocks the tab. Bodies cut to the detail's preview are compared only once loaded whole (useCompareBody). Where a worker cannot start, it runs on the main thread only for bodies up to
// INLINE_MAX_BYTES and otherwise compares everything but the bodies, and says so.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { captureBodyQuery } from "@/lib/browser/query/use-capture";
import { decodeUtf8 } from "@/lib/shared/format/bytes";
import { bodyPreviewBytes, bodyPreviewText } from "@/lib/shared/format/body-preview";
import type { TCaptureComparison, TCompareBody, TCompareInput } from "@/lib/shared/diff/compare";
import type { TCompareResponse } from "@/lib/shared/diff/compare.worker";
import type { TCapture } from "@/lib/shared/validation/captures";

export const INLINE_MAX_BYTES = 256 * 1024;

/** A body up to this size loads for a compare by itself (the worker diffs 1 MiB bodies well); a bigger one when asked. */
export const COMPARE_AUTO_LOAD_BYTES = 2 * 1024 * 1024;

export type TComparisonState =
  | { status: "waiting" }
  | { status: "running" }
  /** `bodiesPending`: a body is over the detail's preview and not loaded, so bodies were left out. */
  | { status: "done"; result: TCaptureComparison; ms: number; inWorker: boolean; notice: string | null; bodiesPending: boolean }
  | { status: "error"; message: string };

/**
 * A side's whole body for the diff: the detail's preview when that is the whole body, else the
 * exact bytes from its body URL once `load` is set (or when another view already loaded them).
 * Null while not loaded: the diff never runs on a cut body.
 */
export function useCompareBody(
  c: TCapture | undefined,
  load: boolean,
): { body: TCompareBody | null; loading: boolean; error: Error | null } {
  const truncated = c?.bodyTruncated ?? false;
  const full = useQuery({ ...captureBodyQuery(c?.bodyUrl ?? ""), enabled: truncated && load });
  const data = truncated ? (full.data ?? null) : null;
  const body = useMemo((): TCompareBody | null => {
    if (!c) return null;
    if (!c.bodyTruncated) return { bytes: bodyPreviewBytes(c.body), text: bodyPreviewText(c.body) };
    return data && { bytes: data, text: decodeUtf8(data) };
  }, [c, data]);
  return { body, loading: full.isFetching, error: full.error };
}

const NO_BODY: TCompareBody = { bytes: new Uint8Array(0), text: "" };

function input(c: TCapture, body: TCompareBody | null): TCompareInput {
  return { method: c.method, path: c.path, query: c.query, headers: c.headers, httpVersion: c.httpVersion, body: body ?? NO_BODY };
}

async function compareInline(a: TCompareInput, b: TCompareInput, bodiesPending: boolean): Promise<TComparisonState> {
  const { compareCaptures } = await import("@/lib/shared/diff/compare");
  const started = performance.now();
  const big = a.body.bytes.length > INLINE_MAX_BYTES || b.body.bytes.length > INLINE_MAX_BYTES;
  const result = compareCaptures(big ? { ...a, body: NO_BODY } : a, big ? { ...b, body: NO_BODY } : b);
  return {
    status: "done",
    result,
    ms: Math.round(performance.now() - started),
    inWorker: false,
    notice: big ? "This browser could not start a background worker, so bodies over 256 KB were not compared." : null,
    bodiesPending,
  };
}

/** Compares two captures; with a body null (not loaded yet), everything but the bodies. */
export function useComparison(
  a: TCapture | undefined,
  b: TCapture | undefined,
  bodyA: TCompareBody | null,
  bodyB: TCompareBody | null,
): TComparisonState {
  const [finished, setFinished] = useState<{ key: string; state: TComparisonState } | null>(null);
  const bodiesPending = !bodyA || !bodyB;
  const key = a && b ? `${a.id}|${b.id}|${bodiesPending}` : null;

  useEffect(() => {
    if (!a || !b) return;
    const k = `${a.id}|${b.id}|${bodiesPending}`;
    const ia = input(a, bodiesPending ? null : bodyA);
    const ib = input(b, bodiesPending ? null : bodyB);
    let live = true;
    const finish = (state: TComparisonState) => {
      if (live) setFinished({ key: k, state });
    };
    let worker: Worker | null = null;
    try {
      worker = new Worker(new URL("../../lib/shared/diff/compare.worker.ts", import.meta.url));
    } catch {
      worker = null;
    }
    if (worker) {
      worker.onmessage = (e: MessageEvent<TCompareResponse>) => {
        const r = e.data;
        finish(
          r.ok
            ? { status: "done", result: r.result, ms: r.ms, inWorker: true, notice: null, bodiesPending }
            : { status: "error", message: r.message },
        );
      };
      worker.onerror = (e) => {
        e.preventDefault();
        finish({ status: "error", message: e.message || "The comparison stopped with an error." });
      };
      worker.postMessage({ a: ia, b: ib });
    } else {
      void compareInline(ia, ib, bodiesPending).then(finish, (e: unknown) => finish({ status: "error", message: String(e) }));
    }
    return () => {
      live = false;
      worker?.terminate();
    };
  }, [a, b, bodyA, bodyB, bodiesPending]);

  if (!key) return { status: "waiting" };
  if (finished?.key !== key) return { status: "running" };
  return finished.state;
}
