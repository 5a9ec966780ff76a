// Re-signing a captured request with another (test) secret, for resend and forward: a local
// handler configured with a test secret then accepts a replayed production event. The body is
// left byte for byte as captured; only the scheme's signature headers (and timestamps, which
// must be fresh to pass tolerance checks) are replaced, in place, keeping the original order.
import type { TSchemeOptions, TSignatureScheme } from "../validation/signatures";
import { mediaType, type HeaderPairs } from "./headers";
import { detectScheme, getScheme } from "./registry";
import { signPayload } from "./sign";

export interface RequestToResign {
  method: string;
  /** The URL the request will be sent to (Twilio signs it). */
  url: string;
  headers: HeaderPairs;
  body: Buffer;
}

export interface ResignOptions {
  /** "auto": the scheme whose signature header the request carries. */
  scheme: TSignatureScheme | "auto";
  secret: string;
  options?: TSchemeOptions;
  /** Signing time; defaults to now. */
  now?: Date;
}

export interface ResignedRequest {
  scheme: TSignatureScheme;
  /** Same as the input except for Twilio with a non-form body (bodySHA256 is re-computed). */
  url: string;
  headers: [string, string][];
}

export class ResignError extends Error {
  override name = "ResignError";
}

/** The request with its signature replaced by one made with `opts.secret`. */
export function resignRequest(req: RequestToResign, opts: ResignOptions): ResignedRequest {
  const scheme = opts.scheme === "auto" ? detectScheme(req.headers)?.scheme : opts.scheme;
  if (!scheme) throw new ResignError("The request carries no signature header Hookscope recognises; choose the scheme to sign with.");
  const def = getScheme(scheme);
  if (def.needsRule && !opts.options?.generic) throw new ResignError("A generic HMAC signature needs a rule (options.generic).");
  const replace = def.headers(opts.options ?? {});
  const signed = signPayload(scheme, {
    secret: opts.secret,
    body: req.body,
    timestamp: Math.floor((opts.now ?? new Date()).getTime() / 1000),
    url: req.url,
    method: req.method,
    contentType: mediaType(req.headers),
    options: opts.options,
    original: req.headers,
  });

  const replaced = new Set(replace.map((n) => n.toLowerCase()));
  const fresh = new Map(signed.headers.map(([n, v]) => [n.toLowerCase(), [n, v] as [string, string]]));
  const out: [string, string][] = [];
  const emitted = new Set<string>();
  for (const [name, value] of req.headers) {
    const lower = name.toLowerCase();
    if (!replaced.has(lower) && !fresh.has(lower)) {
      out.push([name, value]);
      continue;
    }
    const next = fresh.get(lower);
    // A replaced header keeps its place and its original spelling; repeats of it go.
    if (next && !emitted.has(lower)) out.push([name, next[1]]);
    emitted.add(lower);
  }
  for (const [lower, pair] of fresh) if (!emitted.has(lower)) out.push(pair);
  return { scheme, url: signed.url ?? req.url, headers: out };
}
