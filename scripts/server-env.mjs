// Environment for every server process we start (npm start, start:cluster, tests, benches; the
// Dockerfile sets the same): settings read at process start, so they cannot be set from inside node.
// - glibc malloc: a fixed mmap threshold keeps glibc from raising it after the first big free (its
//   default), so request bodies of 128 KiB and more are mmapped and go back to the system when
//   freed instead of staying in the heap; the trim threshold returns a freed heap top past 1 MiB.
//   bench:uploads, 512 concurrent 1 MiB uploads: peak RSS +166 to +264 MiB over idle with these,
//   +300 to +400 without (same budget).
// - V8's young generation: semi-spaces of at most 4 MiB (Node's default grows them to 16), so an
//   idle server touches about 20 MiB less; with lib/server/heap.ts, a 100,000-capture export
//   peaked at 225 MiB instead of 258–267 (docs/benchmarks.md, "Server heap").
// A variable already set wins; NODE_OPTIONS gets the flag added unless it sets its own.
export const SERVER_PROCESS_ENV = {
  MALLOC_MMAP_THRESHOLD_: "131072",
  MALLOC_TRIM_THRESHOLD_: "1048576",
  NODE_OPTIONS: "--max-semi-space-size=4",
};

/** `env` with SERVER_PROCESS_ENV under it. */
export function serverEnv(env) {
  const out = { ...SERVER_PROCESS_ENV, ...env };
  const own = env.NODE_OPTIONS?.trim() ?? "";
  if (!own.includes("--max-semi-space-size")) out.NODE_OPTIONS = `${own} ${SERVER_PROCESS_ENV.NODE_OPTIONS}`.trim();
  return out;
}
