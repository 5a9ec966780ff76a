"use client";
// Runs the capture comparison (lib/shared/diff/compare.ts) in a Web Worker, so diffing 1 MiB bodies never
// blocks the tab. Where a worker cannot start, it runs on the main thread only for bodies up to
// INLINE_MAX_BYTES and otherwise compares everything but the bodies, and says so.
import { useEffect, useState } from "react";
import type { TCaptureComparison, TCompareInput } from "@/lib/shared/diff/compare";
import type { TCompareResponse } from "@/lib/shared/diff/compare.worker";
import type { TCapture } from "@/lib/shared/validation/captures";

export const INLINE_MAX_BYTES = 256 * 1024;

export type TComparisonState =
  | { status: "waiting" }
  | { status: "running" }
  | { status: "done"; result: TCaptureComparison; ms: number; inWorker: boolean; notice: string | null }
  | { status: "error"; message: string };

function input(c: TCapture): TCompareInput {
  return { method: c.method, path: c.path, query: c.query, headers: c.headers, httpVersion: c.httpVersion, body: c.body };
}

async function compareInline(a: TCapture, b: TCapture): Promise<TComparisonState> {
  const { compareCaptures } = await import("@/lib/shared/diff/compare");
  const started = performance.now();
  const big = a.size > INLINE_MAX_BYTES || b.size > INLINE_MAX_BYTES;
  const empty = { base64: "", text: "" };
  const result = compareCaptures(big ? { ...input(a), body: empty } : input(a), big ? { ...input(b), body: empty } : input(b));
  return {
    status: "done",
    result,
    ms: Math.round(performance.now() - started),
    inWorker: false,
    notice: big ? "This browser could not start a background worker, so bodies over 256 KB were not compared." : null,
  };
}

export function useComparison(a: TCapture | undefined, b: TCapture | undefined): TComparisonState {
  const [finished, setFinished] = useState<{ key: string; state: TComparisonState } | null>(null);
  const key = a && b ? `${a.id}|${b.id}` : null;

  useEffect(() => {
    if (!a || !b) return;
    const k = `${a.id}|${b.id}`;
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
          r.ok ? { status: "done", result: r.result, ms: r.ms, inWorker: true, notice: null } : { status: "error", message: r.message },
        );
      };
      worker.onerror = (e) => {
        e.preventDefault();
        finish({ status: "error", message: e.message || "The comparison stopped with an error." });
      };
      worker.postMessage({ a: input(a), b: input(b) });
    } else {
      void compareInline(a, b).then(finish, (e: unknown) => finish({ status: "error", message: String(e) }));
    }
    return () => {
      live = false;
      worker?.terminate();
    };
  }, [a, b]);

  if (!key) return { status: "waiting" };
  if (finished?.key !== key) return { status: "running" };
  return finished.state;
}
