// GET /cli/hookscope.tgz - the CLI as an npm tarball (lib/server/cli-package), for
// `npx https://<instance>/cli/hookscope.tgz …`. Served here rather than by Next: it is built with
// esbuild at run time, which Next's bundler would try to bundle. Public, like the dashboard's
// own scripts: it holds code, never data. ETag + `no-cache` so npm's cached copy is revalidated
// and an upgraded instance hands out its new CLI.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { cliPackage } from "@/lib/server/cli-package/package";
import { logJson } from "@/lib/server/observability/log";
import { CLI_PACKAGE_PATH } from "@/lib/shared/cli/package-url";
import { writeErrorEnvelope } from "./node-response";

export function isCliPackageTarget(url: string): boolean {
  return url === CLI_PACKAGE_PATH || url.startsWith(`${CLI_PACKAGE_PATH}?`);
}

export async function serveCliPackage(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return writeErrorEnvelope(res, 405, "METHOD_NOT_ALLOWED", `${CLI_PACKAGE_PATH} answers GET and HEAD.`, { Allow: "GET, HEAD" });
  }
  let pkg;
  try {
    pkg = await cliPackage();
  } catch (e) {
    logJson("error", "cli package build failed", { error: String(e instanceof Error ? e.stack : e) });
    return writeErrorEnvelope(res, 500, "INTERNAL", "The CLI package could not be built on this instance; its log says why.");
  }
  const headers = {
    ETag: pkg.etag,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
  };
  if (req.headers["if-none-match"] === pkg.etag) {
    res.writeHead(304, headers);
    return void res.end();
  }
  res.writeHead(200, {
    ...headers,
    "Content-Type": "application/gzip",
    "Content-Length": String(pkg.tgz.length),
    "Content-Disposition": `attachment; filename="hookscope-${pkg.version}.tgz"`,
  });
  res.end(req.method === "HEAD" ? undefined : pkg.tgz);
}
