// Splits a raw request target into slug, sub-path and query without decoding anything:
// capture stores the path exactly as it was sent.
export const CAPTURE_PREFIX = "/h/";

export interface CaptureTarget {
  slug: string;
  /** Everything after the slug up to "?", e.g. "/orders/42"; "" for /h/{slug} itself. */
  path: string;
  /** Raw query without "?"; null when the target had none. */
  query: string | null;
}

export function isCaptureTarget(url: string): boolean {
  return url.startsWith(CAPTURE_PREFIX);
}

/** Null when the target names no slug (e.g. "/h/" or "/h/?x"). */
export function parseCaptureTarget(url: string): CaptureTarget | null {
  const rest = url.slice(CAPTURE_PREFIX.length);
  const q = rest.indexOf("?");
  const pathPart = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? null : rest.slice(q + 1);
  const slash = pathPart.indexOf("/");
  const slug = slash === -1 ? pathPart : pathPart.slice(0, slash);
  if (!slug) return null;
  return { slug, path: slash === -1 ? "" : pathPart.slice(slash), query };
}

/** Where a request landed when captures have their own host: on it, or on any other (the dashboard's). */
export type THostRole = "capture" | "dashboard";

/** "host[:port]" lower-cased, without a trailing dot or a default port (80, 443), for comparing. */
function normalHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/\.(?=:\d+$|$)/, "")
    .replace(/:(80|443)$/, "");
}

/**
 * The capture host when CAPTURE_BASE_URL names another host than the dashboard's (the split is on),
 * else null: captures and dashboard share one host.
 */
export function splitCaptureHost(captureBaseUrl: string | undefined, publicBaseUrl: string): string | null {
  if (captureBaseUrl === undefined) return null;
  const capture = normalHost(new URL(captureBaseUrl).host);
  return capture === normalHost(new URL(publicBaseUrl).host) ? null : capture;
}

/**
 * Which host a request was sent to: its Host, or behind trusted proxies (trustProxy > 0) the
 * X-Forwarded-Host entry the outermost trusted one added (read like X-Forwarded-For). Any host
 * but the capture host is the dashboard's (an IP address, localhost, PUBLIC_BASE_URL's host).
 */
export function hostRole(
  captureHost: string,
  headers: { host?: string; "x-forwarded-host"?: string | string[] },
  trustProxy: number,
): THostRole {
  let host = headers.host ?? "";
  const xfh = headers["x-forwarded-host"];
  if (trustProxy > 0 && xfh !== undefined) {
    const list = (Array.isArray(xfh) ? xfh.join(",") : xfh)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    host = list[list.length - trustProxy] ?? list[0] ?? host;
  }
  return normalHost(host) === captureHost ? "capture" : "dashboard";
}

/** GET /api/health, the one thing the capture host serves besides captures (load balancers probe it). */
export function isHealthTarget(url: string): boolean {
  return url === "/api/health" || url.startsWith("/api/health?");
}
