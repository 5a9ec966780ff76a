// Content-Security-Policy values. Pure (no "server-only"): proxy.ts and next.config.ts import it,
// and neither is bundled as a React server component.

/**
 * The policy for dashboard pages. Scripts run only with this response's nonce ('strict-dynamic'
 * lets Next's nonce'd bootstrap load its chunks); no 'unsafe-inline' for scripts, so markup that
 * slipped out of captured data could not run even if it reached the page. Styles keep
 * 'unsafe-inline': React style attributes (virtual list rows, highlighted code) need it, and CSS
 * cannot run code. Dev mode adds 'unsafe-eval' for React's debugging tools.
 */
export function pageCsp(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // Workers load from our own /_next/static files (or a blob:); they cannot carry a nonce, and
    // under 'strict-dynamic' the 'self' of script-src no longer counts, so they are named here.
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The policy for API answers (JSON, raw body downloads, event streams): nothing in them may run,
 * load or be framed, whatever a browser makes of a captured body.
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Headers on every answer of the dashboard's origin but capture answers (next.config.ts sets them on Next's). */
export const ORIGIN_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
} as const;

/** What an API answer written outside Next carries (Next's get the same from next.config.ts). */
export const API_HEADERS = { ...ORIGIN_HEADERS, "Content-Security-Policy": API_CSP } as const;

/**
 * The policy on every capture answer (lib/shared/capture/answer.ts): anyone may configure what a capture
 * URL answers, so it gets the API's policy. `sandbox` gives the page an opaque origin with scripts,
 * forms and popups off, so even an HTML answer served from the dashboard's host runs nothing there.
 */
export const CAPTURE_CSP = API_CSP;

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
