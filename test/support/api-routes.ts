// Every route handler file under app/api and the HTTP methods it exports, read from disk, so
// tests that must cover every route (access, OpenAPI) notice a new one.
import fs from "node:fs";
import path from "node:path";

export interface ApiRoute {
  /** e.g. "app/api/endpoints/[id]/captures/route.ts" */
  file: string;
  /** e.g. "/api/endpoints/[id]/captures" */
  pattern: string;
  methods: string[];
}

export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/**
 * Every route handler file under app/api and the HTTP methods it serves: `export const GET =`,
 * `export async function GET`, `export { GET }`. The refusals a route exports for the methods it
 * does not serve (`export const { PUT, … } = otherMethods([…])`) are not counted.
 */
export function findApiRoutes(dir = path.join("app", "api")): ApiRoute[] {
  const out: ApiRoute[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findApiRoutes(p));
    else if (/^route\.(ts|tsx|js|mjs)$/.test(e.name)) {
      const src = fs.readFileSync(p, "utf8");
      const methods = new Set<string>();
      for (const m of src.matchAll(/export\s+(?:async\s+)?(?:function|const|let)\s+([A-Z]+)\b/g)) methods.add(m[1]!);
      for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) {
        for (const part of m[1]!.split(","))
          methods.add(
            part
              .trim()
              .split(/\s+as\s+/)
              .pop()!
              .trim(),
          );
      }
      const segments = path
        .dirname(p)
        .split(path.sep)
        .slice(1) // "app"
        .filter((s) => !/^\(.*\)$/.test(s)); // route groups are not part of the URL
      out.push({ file: p, pattern: `/${segments.join("/")}`, methods: [...methods].filter((m) => METHODS.includes(m)).sort() });
    }
  }
  return out.sort((a, b) => a.pattern.localeCompare(b.pattern));
}
