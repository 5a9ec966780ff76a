// What a forwarded capture looks like on the wire: the capture's headers minus hop-by-hop ones
// and Host (RFC 9110 §7.6.1: they describe one connection, not the message), the target URL with
// the capture's path suffix and query appended, and the body byte for byte. Pure: shared by the
// forward worker, resend defaults and the CLI.

/** Hop-by-hop headers (RFC 9110 §7.6.1), plus Host and Content-Length, which the sender sets. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

/**
 * The headers to send on: original names, order and repeats, without hop-by-hop ones, Host,
 * Content-Length (recomputed from the body) and any header the Connection header names.
 */
export function forwardableHeaders(headers: readonly (readonly [string, string])[]): [string, string][] {
  const named = new Set<string>();
  for (const [n, v] of headers) {
    if (n.toLowerCase() !== "connection") continue;
    for (const token of v.split(",")) if (token.trim()) named.add(token.trim().toLowerCase());
  }
  return headers.filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase()) && !named.has(n.toLowerCase())).map(([n, v]) => [n, v]);
}

/**
 * The target URL with the capture's path (after /h/{slug}, as sent) appended to the target's
 * path and its raw query appended to the target's query. `http://t/hooks` + `/a/b?x=1` gives
 * `http://t/hooks/a/b?x=1`; a trailing slash on the target is not doubled.
 */
export function forwardUrl(target: string, capturePath: string, captureQuery: string | null): string {
  const u = new URL(target);
  // Built as text: URL's setters would re-encode the captured path and query.
  const base = `${u.protocol}//${u.host}`;
  let path = u.pathname;
  if (capturePath) path = path.endsWith("/") && capturePath.startsWith("/") ? path + capturePath.slice(1) : path + capturePath;
  const targetQuery = u.search.slice(1);
  const query = [targetQuery, captureQuery ?? ""].filter((q) => q !== "").join("&");
  const hadQuery = u.search !== "" || captureQuery !== null;
  return `${base}${path}${hadQuery ? `?${query}` : ""}`;
}
