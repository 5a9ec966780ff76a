/**
 * A URL on one line that, when space runs out, elides its origin (with an ellipsis) and never its
 * path: for a capture URL the slug is the part that tells endpoints apart. The text content is
 * still the whole URL (copy, select-all, tests); the title shows it whole on hover.
 */
export function UrlText({ url, className = "", testId }: { url: string; className?: string; testId?: string }) {
  let origin = url;
  let path = "";
  try {
    origin = new URL(url).origin;
    path = url.startsWith(origin) ? url.slice(origin.length) : "";
    if (!path) origin = url;
  } catch {
    // not an absolute URL: shown whole
  }
  return (
    <code data-testid={testId} title={url} className={`flex min-w-0 font-mono whitespace-nowrap ${className}`}>
      <span className="min-w-[3ch] truncate">{origin}</span>
      {path && <span className="shrink-0">{path}</span>}
    </code>
  );
}
