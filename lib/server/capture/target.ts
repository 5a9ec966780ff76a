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
