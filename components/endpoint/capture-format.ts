// Display helpers for capture rows. Pure, so the list and tests agree on what a row says.
import type { TCaptureSummary } from "@/lib/validation/captures";

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

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
