// Management-key access: `Authorization: Bearer <key>` or the httpOnly cookie set for the
// browser that created the endpoint. Missing credentials get 401; a wrong key and an unknown id
// both get the same 404, so a caller cannot learn whether an endpoint exists.
import "server-only";
import crypto from "node:crypto";
import { getCaptureEndpointId } from "@/lib/server/db/captures";
import { getEndpointById, getEndpointBySlugOrAlias, listEndpointsByIds, type EndpointRecord } from "@/lib/server/db/endpoints";
import { keyMatches } from "@/lib/server/db/keys";
import { touchEndpointAccess } from "@/lib/server/db/retention";
import { env, publicBaseUrl } from "@/lib/server/env";
import { AppError } from "@/lib/shared/errors/app-error";

export const KEY_COOKIE_PREFIX = "hsk_";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function keyCookieName(endpointId: string): string {
  return `${KEY_COOKIE_PREFIX}${endpointId}`;
}

export function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    // A name sent twice is two cookies of different paths: browsers send the longer path first
    // (RFC 6265 §5.4), so the first is the most specific (a key cookie at /api before an older
    // whole-site one).
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

export function bearer(req: Request): string | null {
  const h = req.headers.get("authorization");
  const m = h?.match(/^Bearer\s+(\S+)\s*$/i);
  return m?.[1] ?? null;
}

function hasAnyCredential(req: Request): boolean {
  if (bearer(req)) return true;
  for (const name of parseCookies(req.headers.get("cookie")).keys()) if (name.startsWith(KEY_COOKIE_PREFIX)) return true;
  return false;
}

const NOT_FOUND = () => new AppError("NOT_FOUND", "Not found, or the management key does not match.");
const UNAUTHORIZED = () =>
  new AppError(
    "UNAUTHORIZED",
    "A management key is required: send Authorization: Bearer <key>, or open the endpoint from the browser that created it.",
  );

/** The management key this request carries for the endpoint (Bearer first, then its cookie); check it with requireEndpointAccess first. */
export function presentedKey(req: Request, endpointId: string): string | null {
  return bearer(req) ?? parseCookies(req.headers.get("cookie")).get(keyCookieName(endpointId)) ?? null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The cookie goes with any request the browser makes to us, whoever's page asked for it, and an
 * empty POST is a "simple" request that needs no CORS preflight. So a write authenticated by the
 * cookie must come from one of our own pages: Sec-Fetch-Site "same-origin" (or "none", an address
 * typed by the user). "same-site" is refused too: a sibling host (a capture host on a subdomain)
 * is same-site. Browsers too old for Sec-Fetch-Site still send Origin on writes; a client that
 * sends neither is not a browser acting for someone else. Bearer keys never reach this check.
 */
function assertSameOriginWrite(req: Request): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  const why = crossSiteReason(req);
  if (why) throw crossSite(why);
}

/** Why the browser says another site's page sent this request, or null when it did not (or no browser sent it). */
function crossSiteReason(req: Request): string | null {
  const site = req.headers.get("sec-fetch-site")?.trim().toLowerCase();
  if (site !== undefined) return site === "same-origin" || site === "none" ? null : `the browser reports it as ${site}`;
  const origin = req.headers.get("origin");
  if (origin === null || ownOrigins(req).has(origin.trim().toLowerCase())) return null;
  return `it comes from ${origin}`;
}

/**
 * Creating an endpoint answers with its key and sets the key cookie, so another site's page must not
 * be able to make a visitor's browser create endpoints (in bulk, or one whose cookie it then relies
 * on). Scripts and CI send no Sec-Fetch-Site or Origin and are unaffected, nor is a Bearer token.
 */
export function requireCreateFromOwnPages(req: Request): void {
  if (bearer(req)) return;
  const why = crossSiteReason(req);
  if (!why) return;
  throw new AppError(
    "CROSS_SITE_REQUEST",
    `Refused: ${why}, so another site's page may have asked this browser to create an endpoint. ` +
      "Create endpoints from the dashboard, or from a script or the API.",
  );
}

const crossSite = (why: string) =>
  new AppError(
    "CROSS_SITE_REQUEST",
    `Refused: this change was authenticated by the key cookie but ${why}, so another site's page may have sent it. ` +
      "Use the dashboard, or send the key as Authorization: Bearer <key>.",
  );

/** The origins the dashboard is served from: PUBLIC_BASE_URL and the one this request was sent to. */
function ownOrigins(req: Request): Set<string> {
  const out = new Set([new URL(publicBaseUrl()).origin.toLowerCase()]);
  const host = requestHost(req);
  if (host) out.add(`${requestProtocol(req)}://${host}`.toLowerCase());
  return out;
}

/** The request's Host; X-Forwarded-Host only behind trusted proxies (TRUST_PROXY > 0), like X-Forwarded-Proto. */
function requestHost(req: Request): string | null {
  return forwardedEntry(req, "x-forwarded-host") ?? req.headers.get("host");
}

/** The endpoint, if the request carries its management key. */
export async function requireEndpointAccess(req: Request, endpointId: string): Promise<EndpointRecord> {
  if (!hasAnyCredential(req)) throw UNAUTHORIZED();
  // Every keyed route comes through here: a write carried by the cookie alone must be same-origin.
  if (!bearer(req)) assertSameOriginWrite(req);
  if (!UUID.test(endpointId)) throw NOT_FOUND();
  const endpoint = await getEndpointById(endpointId);
  const key = endpoint ? presentedKey(req, endpoint.id) : null;
  if (!endpoint || !key || !keyMatches(key, endpoint.keyHash)) throw NOT_FOUND();
  // For ENDPOINT_EXPIRE_AFTER_DAYS: keyed use keeps an endpoint alive. Off the request's path.
  void touchEndpointAccess(endpoint.id).catch(() => {});
  return endpoint;
}

/**
 * With CREATE_ENDPOINT_TOKEN set, creating an endpoint needs `Authorization: Bearer <token>`:
 * 401 without it, 403 with another. Compared in constant time.
 */
export function requireCreateToken(req: Request): void {
  const token = env().CREATE_ENDPOINT_TOKEN;
  if (token === undefined) return;
  const given = bearer(req);
  if (!given) {
    throw new AppError("UNAUTHORIZED", "This instance requires a token to create endpoints: send Authorization: Bearer <token>.");
  }
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(token).digest();
  if (!crypto.timingSafeEqual(a, b)) throw new AppError("FORBIDDEN", "That endpoint creation token is not right.");
}

/** The endpoint with this public slug or alias, if the request carries its management key (the CLI starts from a capture URL). */
export async function requireEndpointAccessBySlug(req: Request, slug: string): Promise<EndpointRecord> {
  if (!hasAnyCredential(req)) throw UNAUTHORIZED();
  const endpoint = await getEndpointBySlugOrAlias(slug);
  if (!endpoint) throw NOT_FOUND();
  return requireEndpointAccess(req, endpoint.id);
}

/**
 * The endpoint, for a key given in the URL (`?key=`): only for clients that cannot send headers,
 * such as smee-client's EventSource. Falls back to the usual header and cookie.
 */
export async function requireEndpointAccessWithUrlKey(req: Request, endpointId: string): Promise<EndpointRecord> {
  const key = new URL(req.url).searchParams.get("key");
  if (!key || bearer(req)) return requireEndpointAccess(req, endpointId);
  const headers = new Headers(req.headers);
  headers.set("authorization", `Bearer ${key}`);
  return requireEndpointAccess(new Request(req.url, { headers }), endpointId);
}

/** The capture's endpoint, if the request carries that endpoint's management key. */
export async function requireCaptureAccess(req: Request, captureId: string): Promise<EndpointRecord> {
  if (!hasAnyCredential(req)) throw UNAUTHORIZED();
  if (!UUID.test(captureId)) throw NOT_FOUND();
  const endpointId = await getCaptureEndpointId(captureId);
  if (!endpointId) throw NOT_FOUND();
  return requireEndpointAccess(req, endpointId);
}

/** Endpoint ids this browser holds key cookies for (checked against the database by the caller). */
export function cookieEndpointKeys(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of parseCookies(req.headers.get("cookie"))) {
    if (!name.startsWith(KEY_COOKIE_PREFIX)) continue;
    // Lower-cased: ids come back from the database in lower case, and a cookie named with an
    // upper-case id must not turn into a lookup miss (it used to become a 500).
    const id = name.slice(KEY_COOKIE_PREFIX.length).toLowerCase();
    if (UUID.test(id)) out.set(id, value);
  }
  return out;
}

/**
 * The scheme the browser used. X-Forwarded-Proto counts only behind trusted proxies
 * (TRUST_PROXY > 0), read from the entry the outermost trusted one added, like X-Forwarded-For.
 */
function requestProtocol(req: Request): string {
  return forwardedEntry(req, "x-forwarded-proto") ?? new URL(req.url).protocol.replace(":", "");
}

/** A lower-cased X-Forwarded-* entry: the one the outermost trusted proxy added; null with TRUST_PROXY=0. */
function forwardedEntry(req: Request, name: "x-forwarded-proto" | "x-forwarded-host"): string | null {
  const trustProxy = env().TRUST_PROXY;
  const forwarded = req.headers.get(name);
  if (trustProxy === 0 || !forwarded) return null;
  const list = forwarded
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return list[list.length - trustProxy] ?? list[0] ?? null;
}

/**
 * The only paths a key cookie goes to: every route that reads one is under /api. Capture URLs
 * (/h/…) share the dashboard's origin, and anything a browser sends to one is stored for that
 * endpoint's owner to read; a cookie for the whole site went with every visit to one.
 */
export const KEY_COOKIE_PATH = "/api";

/** Set-Cookie for a management key: httpOnly, SameSite=Lax, /api only, Secure when served over HTTPS. */
export function keyCookie(req: Request, endpointId: string, key: string, maxAgeSeconds = 400 * 24 * 3600): string {
  const secure = requestProtocol(req) === "https" || (env().PUBLIC_BASE_URL ?? "").startsWith("https:");
  return [
    `${keyCookieName(endpointId)}=${encodeURIComponent(key)}`,
    `Path=${KEY_COOKIE_PATH}`,
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

/**
 * Key cookies one browser may hold. Past it the browser's own limits bite: it evicts the least
 * recently used cookies of the host past about 150–180 (a key lost for good: it is shown once),
 * and a Cookie header past the server's 16 KiB header limit gets every request a 431. A dashboard
 * link adds its key as soon as it opens, so another site could otherwise push a visitor's own
 * keys out by opening many links to endpoints of its own. 100 keys are about 9.5 KB of Cookie.
 */
export const MAX_KEY_COOKIES = 100;

/**
 * The endpoints this browser's key cookies open, and the ids of the cookies that open nothing
 * (the endpoint was deleted, or its key replaced): one query.
 */
export async function heldEndpoints(req: Request): Promise<{ live: EndpointRecord[]; dead: string[] }> {
  const keys = cookieEndpointKeys(req);
  if (keys.size === 0) return { live: [], dead: [] };
  const rows = await listEndpointsByIds([...keys.keys()]);
  const live = rows.filter((r) => keyMatches(keys.get(r.id)!, r.keyHash));
  const opened = new Set(live.map((r) => r.id));
  return { live, dead: [...keys.keys()].filter((id) => !opened.has(id)) };
}

/** Refuses to add one more key to a browser whose key cookies already open MAX_KEY_COOKIES endpoints (409). */
export async function requireRoomForKeyCookie(req: Request, endpointId: string | null): Promise<void> {
  if (cookieEndpointKeys(req).size < MAX_KEY_COOKIES) return; // no query for everyone else
  const { live } = await heldEndpoints(req);
  if (endpointId !== null && live.some((e) => e.id === endpointId.toLowerCase())) return;
  if (live.length >= MAX_KEY_COOKIES) {
    throw new AppError(
      "CONFLICT",
      `This browser already holds the keys of ${live.length} endpoints, the most it keeps (${MAX_KEY_COOKIES}). Remove some from this browser on the home page, or use this one through the API with its key.`,
    );
  }
}

/**
 * Set-Cookie headers that give this browser `key` for the endpoint: the /api cookie, and the end of
 * a whole-site one an older version set (it would otherwise go on being sent with a key that may
 * no longer be the endpoint's, after a replacement).
 */
export function keyCookieHeaders(req: Request, endpointId: string, key: string): [string, string][] {
  return [
    ["Set-Cookie", keyCookie(req, endpointId, key)],
    ["Set-Cookie", clearKeyCookies(endpointId)[1]!],
  ];
}

/**
 * Set-Cookie lines that end a key cookie: the one at KEY_COOKIE_PATH and the whole-site one
 * browsers may still hold from before keys were kept to /api.
 */
export function clearKeyCookies(endpointId: string): string[] {
  return [KEY_COOKIE_PATH, "/"].map((p) => `${keyCookieName(endpointId)}=; Path=${p}; Max-Age=0; HttpOnly; SameSite=Lax`);
}

/** clearKeyCookies as Set-Cookie headers. */
export function clearKeyCookieHeaders(endpointId: string): [string, string][] {
  return clearKeyCookies(endpointId).map((line) => ["Set-Cookie", line]);
}

/**
 * A captured request's header pairs without management-key cookies (`hsk_<endpoint id>`). Capture URLs share
 * the dashboard's origin, and a browser that still holds a whole-site key cookie (set before they
 * were kept to /api, and valid for 400 days) sends it with any request to a capture URL, which a
 * link or a redirect is enough to make. Stored, it would hand every endpoint of that browser to
 * the capture URL's owner. Other cookies and every other header stay exactly as sent; a Cookie
 * header left empty is dropped.
 */
export function withoutKeyCookies(pairs: [string, string][]): [string, string][] {
  let changed = false;
  const out: [string, string][] = [];
  for (const pair of pairs) {
    const [name, value] = pair;
    const kept = value.includes(KEY_COOKIE_PREFIX) && name.toLowerCase() === "cookie" ? withoutKeyParts(value) : value;
    if (kept === value) out.push(pair);
    else {
      changed = true;
      if (kept !== null) out.push([name, kept]);
    }
  }
  return changed ? out : pairs;
}

/** One `hsk_<endpoint id>=…` pair of a Cookie header, as keyCookie names them (a sender's own `hsk_session` is not one). */
const KEY_COOKIE_PAIR = /^\s*hsk_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}=/i;

/** A Cookie value without its hsk_ cookies: the same string when it has none, null when nothing else is left. */
function withoutKeyParts(value: string): string | null {
  const parts = value.split(";");
  const kept = parts.filter((part) => !KEY_COOKIE_PAIR.test(part));
  if (kept.length === parts.length) return value;
  const rest = kept.join(";").trimStart();
  return rest.trim() === "" ? null : rest;
}
