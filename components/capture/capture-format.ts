// Display helpers for capture rows. Pure, so the list and tests agree on what a row says.
import type { TCaptureSummary } from "@/lib/shared/validation/captures";

/** Path plus query as the sender wrote them. */
export function pathWithQuery(c: Pick<TCaptureSummary, "path" | "query">): string {
  return c.query ? `${c.path}?${c.query}` : c.path;
}

/** The media type without parameters: "application/json" for "application/json; charset=utf-8". */
export function shortContentType(ct: string | null): string | null {
  if (!ct) return null;
  return ct.split(";")[0]!.trim() || null;
}

/** A first request to try, shell-quoted for POSIX shells. */
export function curlExample(captureUrl: string): string {
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  return `curl -X POST ${q(captureUrl)} -H 'Content-Type: application/json' -d '{"hello":"world"}'`;
}
