// Every scheme by id, and detection of the scheme from a request's headers.
import type { TSignatureScheme } from "../../validation/signatures";
import { findHeader, type HeaderPairs } from "../headers";
import type { SchemeDefinition } from "../types";
import { generic } from "./generic";
import { github } from "./github";
import { shopify } from "./shopify";
import { slack } from "./slack";
import { standard } from "./standard";
import { stripe } from "./stripe";
import { twilio } from "./twilio";

export const SCHEMES: Record<TSignatureScheme, SchemeDefinition> = { stripe, github, shopify, slack, standard, twilio, generic };

/** Signature headers that identify a scheme, in the order they are looked for. */
const DETECTION: [string, TSignatureScheme][] = [
  ["stripe-signature", "stripe"],
  ["x-hub-signature-256", "github"],
  ["x-hub-signature", "github"],
  ["x-shopify-hmac-sha256", "shopify"],
  ["x-slack-signature", "slack"],
  ["webhook-signature", "standard"],
  ["svix-signature", "standard"],
  ["x-twilio-signature", "twilio"],
];

/** The scheme whose signature header the request carries, and that header's name as it arrived. */
export function detectScheme(headers: HeaderPairs): { scheme: TSignatureScheme; header: string } | null {
  for (const [name, scheme] of DETECTION) {
    const h = findHeader(headers, name);
    if (h) return { scheme, header: h.name };
  }
  return null;
}

/** Every header a scheme signs or reads: what re-signing replaces and share links hide. */
export const SCHEME_HEADERS: Record<Exclude<TSignatureScheme, "generic">, string[]> = {
  stripe: ["Stripe-Signature"],
  github: ["X-Hub-Signature-256", "X-Hub-Signature"],
  shopify: ["X-Shopify-Hmac-Sha256"],
  slack: ["X-Slack-Signature", "X-Slack-Request-Timestamp"],
  standard: ["webhook-id", "webhook-timestamp", "webhook-signature", "svix-id", "svix-timestamp", "svix-signature"],
  twilio: ["X-Twilio-Signature"],
};
