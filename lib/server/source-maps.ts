// Imported first by server.ts: in production, stack traces as the code runs, not mapped back to
// the source (`npm run dev` keeps them mapped). Source maps on for the whole process (tsx turns
// them on; production runs the bundle, without tsx) make Node read and keep the map of every
// module it compiles, Next's server chunks and its own runtime included: 60-67 MiB of an idle
// server's 276 MiB RSS when production ran under tsx (docs/benchmarks.md, export).
// Start node with --enable-source-maps (or put it in NODE_OPTIONS) to keep them while debugging.
import "server-only";

const asked = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].includes("--enable-source-maps");
if (process.env.NODE_ENV === "production" && !asked) process.setSourceMapsEnabled(false);
