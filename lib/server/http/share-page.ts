// The /s/<token> page's door, run by server.ts before Next: a token that opens nothing (unknown,
// revoked, expired) gets a small self-contained page with the reason in words and the right
// status (404 / 410); a working one goes on to Next, which renders the read-only viewer. Next's
// App Router cannot choose a page's status (only 404 through notFound()), hence this step. The
// page has no script, and its only variable text is our own words and dates.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getShareLinkByToken } from "@/lib/server/db/share-links";
import { shareProblem, type TShareProblem } from "./share-access";

const SHARE_PAGE = /^\/s\/([^/?#]+)\/?(?:\?.*)?$/;

/** The token of a GET/HEAD /s/<token> page request, or null for anything else. */
export function sharePageToken(method: string | undefined, url: string): string | null {
  if (method !== "GET" && method !== "HEAD") return null;
  const m = SHARE_PAGE.exec(url);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return "";
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function sharePageHtml(problem: TShareProblem): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(problem.title)} · Hookscope</title>
<style>
  :root { color-scheme: light dark; }
  body { margin: 0; font: 15px/1.5 ui-sans-serif, system-ui, sans-serif; background: #fff; color: #18181b; }
  header { border-bottom: 1px solid #e4e4e7; padding: 12px 16px; font-weight: 600; }
  header a.home { display: inline-flex; align-items: center; gap: 8px; border: 0; padding: 0; }
  header svg { width: 24px; height: 24px; }
  main { max-width: 32rem; margin: 0 auto; padding: 64px 16px; }
  h1 { font-size: 1.25rem; margin: 0 0 12px; }
  p { color: #52525b; margin: 0 0 24px; }
  a { display: inline-block; border: 1px solid #d4d4d8; border-radius: 6px; padding: 6px 12px; color: inherit; text-decoration: none; }
  @media (prefers-color-scheme: dark) {
    body { background: #09090b; color: #f4f4f5; }
    header { border-color: #27272a; }
    p { color: #a1a1aa; }
    a { border-color: #3f3f46; }
  }
</style>
</head>
<body>
<header><a class="home" href="/" data-testid="home-link"><svg aria-hidden="true" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#4f46e5"/><circle cx="32" cy="32" r="17" fill="none" stroke="#fff" stroke-width="6"/><circle cx="32" cy="32" r="6" fill="#fff"/></svg>Hookscope</a></header>
<main>
<h1 data-testid="share-problem-title">${escapeHtml(problem.title)}</h1>
<p data-testid="share-problem-message">${escapeHtml(problem.message)}</p>
<a href="/">Go to Hookscope</a>
</main>
</body>
</html>
`;
}

/**
 * Answers a share page whose token opens nothing, and returns true; returns false (the caller
 * hands the request to Next) when the link works, or when the database cannot say: then the
 * viewer's own API calls report the problem.
 */
export async function answerUnusableSharePage(req: IncomingMessage, res: ServerResponse, token: string): Promise<boolean> {
  let problem: TShareProblem | null;
  try {
    problem = shareProblem(await getShareLinkByToken(token));
  } catch {
    return false;
  }
  if (!problem) return false;
  const body = sharePageHtml(problem);
  res.writeHead(problem.status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
  });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}
