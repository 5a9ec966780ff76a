// Environment for every server process we start (npm start, start:cluster, tests, benches; the
// Dockerfile sets the same): glibc malloc settings read at process start, so they cannot be set
// from inside node. A fixed mmap threshold keeps glibc from raising it after the first big free
// (its default), so request bodies of 128 KiB and more are mmapped and go back to the system when
// freed instead of staying in the heap; the trim threshold returns a freed heap top past 1 MiB.
// bench:uploads, 512 concurrent 1 MiB uploads: peak RSS +166 to +264 MiB over idle with these,
// +300 to +400 without (same budget). A variable already set wins.
export const MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: "131072", MALLOC_TRIM_THRESHOLD_: "1048576" };

/** `env` with MALLOC_ENV under it. */
export function serverEnv(env) {
  return { ...MALLOC_ENV, ...env };
}
