// Imported by server.ts at start: V8 collects its old generation when the heap has grown by 10%
// over what the last collection kept (`--heap-growing-percent=10`), instead of letting a busy heap
// double or more first. The server's garbage is short-lived pages and request objects that live
// just long enough to be promoted; by default they piled up for a full collection. On the
// development machine (docs/benchmarks.md, "Server heap"): peak RSS under capture load 471–473 →
// 261–287 MiB, a 100,000-capture export 454–479 → 258–267 MiB, capture CPU per request not higher
// (273–297 vs 346–355 µs). A flag takes effect at the next collection, so it can be set here; it
// cannot be put in NODE_OPTIONS. `node --heap-growing-percent=N .next-server/server.mjs` keeps N.
import "server-only";
import v8 from "node:v8";

export const HEAP_GROWING_PERCENT = 10;

if (!process.execArgv.some((a) => a.startsWith("--heap-growing-percent") || a.startsWith("--heap_growing_percent"))) {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
