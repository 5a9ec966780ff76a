// Signs a payload the way each provider does, returning the headers to send (and, for Twilio
// with a JSON body, the URL with its bodySHA256). Shared by test events, the CLI and re-signing.
import crypto from "node:crypto";
import type { TSchemeOptions, TSignatureScheme } from "../validation/signatures";
import { hmac, sha256Hex } from "./crypto";
import { genericMac } from "./schemes/generic";
import { standardKey, standardMac } from "./schemes/standard";
import { slackMac } from "./schemes/slack";
import { stripeMac } from "./schemes/stripe";
import { twilioAlgorithm, twilioFormParams, twilioMac } from "./schemes/twilio";

export interface SignInput {
  secret: string;
  body: Buffer | string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Standard Webhooks message id; defaults to a new msg_… id. */
  id?: string;
  /** Twilio signs the URL it requests. */
  url?: string;
  method?: string;
  /** Twilio signs form parameters for form bodies only. */
  contentType?: string;
  options?: TSchemeOptions;
  /** Standard Webhooks header family: webhook-* (default) or svix-*. */
  headerPrefix?: "webhook" | "svix";
  /** Twilio: X-Twilio-Webhooks-Signature-Settings of the original request, if any. */
  twilioSettings?: string;
}

export interface SignedParts {
  /** Headers to add, in the order the provider sends them. */
  headers: [string, string][];
  /** Twilio with a non-form body: the URL to request, with bodySHA256 added. */
  url?: string;
}

export function newMessageId(): string {
  return `msg_${crypto.randomBytes(18).toString("base64url")}`;
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

/** Headers (and URL) that make `body` verify under `scheme` with `secret`. */
export function signPayload(scheme: TSignatureScheme, input: SignInput): SignedParts {
  const body = typeof input.body === "string" ? Buffer.from(input.body, "utf8") : input.body;
  const ts = input.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = input.secret;
  switch (scheme) {
    case "stripe":
      return { headers: [["Stripe-Signature", `t=${ts},v1=${stripeMac(secret, ts, body).toString("hex")}`]] };
    case "github":
      // GitHub sends both: the legacy SHA-1 header for old verifiers, and SHA-256.
      return {
        headers: [
          ["X-Hub-Signature", `sha1=${hmac("sha1", secret, body).toString("hex")}`],
          ["X-Hub-Signature-256", `sha256=${hmac("sha256", secret, body).toString("hex")}`],
        ],
      };
    case "shopify":
      return { headers: [["X-Shopify-Hmac-Sha256", hmac("sha256", secret, body).toString("base64")]] };
    case "slack":
      return {
        headers: [
          ["X-Slack-Request-Timestamp", String(ts)],
          ["X-Slack-Signature", `v0=${slackMac(secret, String(ts), body).toString("hex")}`],
        ],
      };
    case "standard": {
      const p = input.headerPrefix ?? "webhook";
      const id = input.id ?? newMessageId();
      const sig = standardMac(standardKey(secret), id, String(ts), body).toString("base64");
      return {
        headers: [
          [`${p}-id`, id],
          [`${p}-timestamp`, String(ts)],
          [`${p}-signature`, `v1,${sig}`],
        ],
      };
    }
    case "twilio": {
      if (!input.url) throw new Error("Twilio signs the URL it requests: pass url");
      const algorithm = twilioAlgorithm(input.twilioSettings) ?? "sha1";
      const form = (input.contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/x-www-form-urlencoded";
      const post = (input.method ?? "POST").toUpperCase() === "POST";
      if (form && post)
        return { headers: [["X-Twilio-Signature", twilioMac(secret, input.url, twilioFormParams(body), algorithm).toString("base64")]] };
      const url = body.length > 0 ? withBodyHash(input.url, sha256Hex(body)) : input.url;
      return { headers: [["X-Twilio-Signature", twilioMac(secret, url, {}, algorithm).toString("base64")]], url };
    }
    case "generic": {
      const rule = input.options?.generic;
      if (!rule) throw new Error("A generic HMAC signature needs options.generic");
      const tsRaw = String(ts);
      const sig = genericMac(rule, rule.algorithm, Buffer.from(secret, "utf8"), body, tsRaw).toString(rule.encoding);
      const headers: [string, string][] = [];
      if (rule.signed === "timestamp_body") headers.push([rule.timestampHeader!, tsRaw]);
      headers.push([rule.header, `${rule.prefix}${sig}`]);
      return { headers };
    }
  }
}
