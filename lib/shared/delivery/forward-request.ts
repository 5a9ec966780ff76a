// What a forwarded capture looks like on the wire: the capture's headers minus hop-by-hop ones
// and Host (RFC 9110 §7.6.1: they describe one connection, not the message), the target URL with
// the capture's path suffix and query appended, and the body byte for byte. Pure: shared by the
// forward worker, resend defaults and the CLI.

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1), plus Host and Content-Length, which the sender sets, and
 * Expect: the body is already here, and fetch (undici) refuses to send an Expect header at all.
 */
const HOP_BY_HOP = new Set([
  "expect",
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
 * `http://t/hooks/a/b?x=1`; a trailing slash on the target is not doubled. A captured path never
 * leaves the target's path: its `.` and `..` segments are resolved within it first (see
 * withinPath).
 */
export function forwardUrl(target: string, capturePath: string, captureQuery: string | null): string {
  const u = new URL(target);
  // Built as text: URL's setters would re-encode the captured path and query.
  const base = `${u.protocol}//${u.host}`;
  // `#` never belongs in a request target, but node accepts it; sent raw, URL parsing would start
  // a fragment there and drop the rest (`/..#` would climb one level and cut off the query).
  capturePath = withinPath(capturePath).replaceAll("#", "%23");
  if (captureQuery !== null) captureQuery = captureQuery.replaceAll("#", "%23");
  let path = u.pathname;
  if (capturePath) path = path.endsWith("/") && capturePath.startsWith("/") ? path + capturePath.slice(1) : path + capturePath;
  const targetQuery = u.search.slice(1);
  const query = [targetQuery, captureQuery ?? ""].filter((q) => q !== "").join("&");
  const hadQuery = u.search !== "" || captureQuery !== null;
  return `${base}${path}${hadQuery ? `?${query}` : ""}`;
}

/**
 * A captured path with its dot segments resolved as if it were the whole path, so none is left
 * to climb out of the target's path. Anyone may send `/h/<slug>/%2e%2e/%2e%2e/admin` to a capture
 * URL, and URL parsing (ours, then any server's) resolves `..` against the target's own path:
 * forwarded to `https://api.example/hooks/stripe`, it would have gone to `https://api.example/admin`.
 * Segments count as URL parsing counts them: `.` and `..` in any mix with `%2e`, split at `/` or
 * `\`. A path without dot segments is returned as sent.
 */
export function withinPath(path: string): string {
  const segments = path.split(/[/\\]/);
  if (!segments.some((s) => dotSegment(s) !== null)) return path;
  const out: string[] = [];
  segments.forEach((segment, i) => {
    const dots = dotSegment(segment);
    if (dots === null) return void out.push(segment);
    if (dots === 2 && out.length > 1) out.pop(); // never the leading empty segment: the path stays under its root
    if (i === segments.length - 1) out.push(""); // `/a/..` is `/`, as URL parsing makes it
  });
  return out.join("/");
}

/** 1 for a `.` segment, 2 for `..` (`%2e` counts as a dot), null for any other. */
function dotSegment(segment: string): 1 | 2 | null {
  const s = segment.toLowerCase();
  if (s === "." || s === "%2e") return 1;
  if (s === ".." || s === ".%2e" || s === "%2e." || s === "%2e%2e") return 2;
  return null;
}
