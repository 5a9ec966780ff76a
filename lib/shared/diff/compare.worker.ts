// Web Worker entry for the compare view: diffs two captures off the main thread, so a 1 MiB body
// never freezes the tab. One request per worker; the page terminates it when the view changes.
import { compareCaptures, type TCaptureComparison, type TCompareInput } from "./compare";

export interface TCompareRequest {
  a: TCompareInput;
  b: TCompareInput;
}

export type TCompareResponse = { ok: true; result: TCaptureComparison; ms: number } | { ok: false; message: string };

// The dom lib types `self` as a Window; in a dedicated worker it is the worker's scope.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<TCompareRequest>) => void) | null;
  postMessage(message: TCompareResponse): void;
};

scope.onmessage = (e) => {
  const started = performance.now();
  try {
    const result = compareCaptures(e.data.a, e.data.b);
    scope.postMessage({ ok: true, result, ms: Math.round(performance.now() - started) });
  } catch (err) {
    scope.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
};
