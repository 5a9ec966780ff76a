// Twilio: `X-Twilio-Signature: <base64>` of HMAC-SHA1 (HMAC-SHA256 when
// X-Twilio-Webhooks-Signature-Settings says algorithm=HMAC_SHA256) over the full URL Twilio
// requested followed by every POST form parameter, sorted by name, as name+value. JSON bodies
// are not in the signature; the URL then carries bodySHA256=<hex sha256 of the body>.
// Like twilio's validateRequest, the URL is tried with and without its default port.
import { hmac, sha256Hex, type HashAlgorithm, nodeCrypto } from "../crypto";
import { findHeader, mediaType } from "../headers";
import { twilioSamples } from "../sample-events/twilio";
import { defineScheme } from "../types";

export const TWILIO_HEADER = "X-Twilio-Signature";
export const TWILIO_SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings";

export type TwilioParams = Record<string, string | string[]>;

/** Form parameters the way Twilio's libraries see them: repeated names become arrays. */
export function twilioFormParams(body: Buffer | string): TwilioParams {
  // Grouped in a Map: parameter names are captured data ("constructor", "__proto__" are names too).
  const grouped = new Map<string, string | string[]>();
  for (const [k, v] of new URLSearchParams(typeof body === "string" ? body : body.toString("utf8"))) {
    const prev = grouped.get(k);
    grouped.set(k, prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]);
  }
  return Object.fromEntries(grouped);
}

/** The string Twilio signs: the URL, then name+value for each parameter in sorted order. */
export function twilioSignedString(url: string, params: TwilioParams): string {
  let data = url;
  for (const key of Object.keys(params).sort()) {
    const v = params[key]!;
    // Repeated parameters: each distinct value once, values sorted (as twilio-node does).
    const values = Array.isArray(v) ? Array.from(new Set(v)).sort() : [v];
    for (const value of values) data += key + value;
  }
  return data;
}

export function twilioMac(key: Buffer | string, url: string, params: TwilioParams, algorithm: HashAlgorithm = "sha1"): Buffer {
  return hmac(algorithm, key, twilioSignedString(url, params));
}

function splitOrigin(url: string): { scheme: string; host: string; port: string; rest: string } | null {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (!m) return null;
  const authority = m[2]!;
  const hostAndPort = authority.slice(authority.lastIndexOf("@") + 1);
  const portStart = hostAndPort.indexOf(":", hostAndPort.lastIndexOf("]") + 1);
  return {
    scheme: m[1]!,
    host: authority.slice(0, authority.length - hostAndPort.length) + (portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart)),
    port: portStart === -1 ? "" : hostAndPort.slice(portStart),
    rest: m[3]!,
  };
}

/** The URL as given, without its port, and with the scheme's default port. */
export function twilioUrlVariants(url: string): string[] {
  const p = splitOrigin(url);
  if (!p) return [url];
  const withoutPort = p.scheme + p.host + p.rest;
  const withPort = p.port ? url : p.scheme + p.host + (p.scheme.toLowerCase() === "https://" ? ":443" : ":80") + p.rest;
  return [...new Set([url, withoutPort, withPort])];
}

export function twilioAlgorithm(settings: string | undefined): HashAlgorithm | null {
  for (const part of (settings ?? "").split(",")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === "algorithm") {
      const a = part
        .slice(eq + 1)
        .trim()
        .toUpperCase();
      if (!a || a === "HMAC_SHA1") return "sha1";
      if (a === "HMAC_SHA256") return "sha256";
      return null;
    }
  }
  return "sha1";
}

function bodyHashOf(url: string): string | null {
  const q = url.indexOf("?");
  if (q === -1) return null;
  return new URLSearchParams(url.slice(q + 1)).get("bodySHA256");
}

/** Adds or replaces bodySHA256 in a URL's query, keeping everything else as written. */
function withBodyHash(url: string, hash: string): string {
  const hashAt = url.indexOf("#");
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? "" : url.slice(hashAt);
  const q = base.indexOf("?");
  const path = q === -1 ? base : base.slice(0, q);
  const query =
    q === -1
      ? []
      : base
          .slice(q + 1)
          .split("&")
          .filter((p) => p && !p.startsWith("bodySHA256="));
  return `${path}?${[...query, `bodySHA256=${hash}`].join("&")}${fragment}`;
}

export const twilio = defineScheme({
  id: "twilio",
  label: "Twilio",
  secretPlaceholder: "The account's Auth Token",
  timestamped: false,
  detect: [TWILIO_HEADER],
  headers: () => [TWILIO_HEADER],
  secretHeaders: [TWILIO_HEADER],
  sign({ secret, body, url, method, contentType, original }) {
    if (!url) throw new Error("Twilio signs the URL it requests: pass url");
    // Re-signing keeps the algorithm the original request's settings header names.
    const algorithm = twilioAlgorithm(original && findHeader(original, TWILIO_SETTINGS_HEADER)?.value) ?? "sha1";
    const form = (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/x-www-form-urlencoded";
    const post = (method ?? "POST").toUpperCase() === "POST";
    if (form && post) return { headers: [[TWILIO_HEADER, twilioMac(secret, url, twilioFormParams(body), algorithm).toString("base64")]] };
    const signedUrl = body.length > 0 ? withBodyHash(url, sha256Hex(body)) : url;
    return { headers: [[TWILIO_HEADER, twilioMac(secret, signedUrl, {}, algorithm).toString("base64")]], url: signedUrl };
  },
  testEvents: {
    events: twilioSamples,
    note: "X-Twilio-Signature over --to and the form parameters, the Auth Token",
    randomSecret: () => nodeCrypto().randomBytes(16).toString("hex"),
  },
  key: (secret) => Buffer.from(secret, "utf8"),
  inspect(req) {
    const h = findHeader(req.headers, TWILIO_HEADER);
    if (!h) return { kind: "missing", header: TWILIO_HEADER, reason: "The request has no X-Twilio-Signature header." };
    const settings = findHeader(req.headers, TWILIO_SETTINGS_HEADER);
    const algorithm = twilioAlgorithm(settings?.value);
    if (!algorithm)
      return {
        kind: "malformed",
        header: settings!.name,
        received: settings!.value,
        reason: `${settings!.name} names an algorithm Hookscope does not know.`,
      };
    const urls = req.urls.flatMap(twilioUrlVariants);
    const bodyHash = req.urls.map(bodyHashOf).find((x) => x !== null) ?? null;
    const form = mediaType(req.headers) === "application/x-www-form-urlencoded" && req.method.toUpperCase() === "POST";
    return {
      kind: "ready",
      check: {
        header: h.name,
        received: h.value,
        signatures: [h.value.trim()],
        encoding: "base64",
        format: (sig) => sig,
        mac: (body, key) => {
          const params = bodyHash === null && form ? twilioFormParams(body) : {};
          return [...new Set(urls)].map((url) => ({ mac: twilioMac(key, url, params, algorithm), url }));
        },
        timestamp: null,
        toleranceSeconds: null,
        bothDirections: false,
        afterMatch(body) {
          if (bodyHash === null || bodyHash.toLowerCase() === sha256Hex(body)) return null;
          return {
            cause: "body_hash_mismatch",
            reason: `The URL is signed correctly, but its bodySHA256 (${bodyHash}) is not the SHA-256 of the body that arrived (${sha256Hex(body)}): the body was changed after Twilio sent it.`,
          };
        },
        secretAdvice:
          "Twilio signs with the account's Auth Token (Console → Account → API keys & tokens), the primary one unless you promoted the secondary; subaccounts have their own. Twilio also signs the exact URL it called, so the capture URL behind a proxy must match PUBLIC_BASE_URL.",
      },
    };
  },
});
