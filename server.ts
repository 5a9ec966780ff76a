// Hookscope's single entry: one node:http listener. Capture URLs (/h/…) take the fast path in
// lib/server/capture; everything else goes to Next.js (routing: lib/server/http/router.ts; start
// and shutdown: lib/server/lifecycle.ts). Run with `npm start`, which runs it bundled
// (scripts/server-bundle.mjs), or `npm run dev` (under tsx).
// First: what it does applies to every module of ours loaded after it, and to Next (loaded by
// lifecycle.ts at start). In the bundle, packages imported statically (pg, Prisma…) load before it.
import "@/lib/server/source-maps";
import "@/lib/server/heap";
import { start } from "@/lib/server/lifecycle";

start().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
