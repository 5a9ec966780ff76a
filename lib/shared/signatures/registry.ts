// Every signature scheme, one line each, in the order menus and the API's enums list them.
// Adding a scheme is a file in schemes/ plus a line here; everything else reads this list: the
// API's enums and labels (lib/shared/validation/signatures.ts), detection, signing and
// re-signing, what share links hide, test events and `hookscope send`.
import { findHeader, type HeaderPairs } from "./headers";
import { generic } from "./schemes/generic";
import { github } from "./schemes/github";
import { shopify } from "./schemes/shopify";
import { slack } from "./schemes/slack";
import { standard } from "./schemes/standard";
import { stripe } from "./schemes/stripe";
import { twilio } from "./schemes/twilio";
import { x } from "./schemes/x";
import { zoom } from "./schemes/zoom";
import type { SchemeDefinition, SchemeTestEvents } from "./types";

// prettier-ignore
const BUILT_IN = [
  stripe,
  github,
  shopify,
  slack,
  standard,
  twilio,
  zoom,
  x,
  generic,
] as const;

export type BuiltInScheme = (typeof BUILT_IN)[number];
/** Ids of the built-in schemes. */
export type SchemeId = BuiltInScheme["id"];
/** Ids of the schemes with sample events (every scheme but generic HMAC). */
export type ProviderId = Extract<BuiltInScheme, { testEvents: SchemeTestEvents }>["id"];

const schemes: SchemeDefinition[] = [...BUILT_IN];
let sealed = false;

/**
 * Adds a scheme after the built-in ones (tests do). The API's enums are built from this list when
 * lib/shared/validation/signatures.ts loads, so a scheme must be registered before that; later
 * it throws rather than be missing from them.
 */
export function registerScheme(definition: SchemeDefinition): void {
  if (sealed) throw new Error(`registerScheme("${definition.id}"): the API's scheme enums are already built; register first`);
  if (schemes.some((s) => s.id === definition.id)) throw new Error(`A signature scheme "${definition.id}" is already registered`);
  schemes.push(definition);
}

/** The final list, for the API's enums: no scheme can be registered afterwards. */
export function sealSchemes(): readonly SchemeDefinition[] {
  sealed = true;
  return schemes;
}

export function listSchemes(): readonly SchemeDefinition[] {
  return schemes;
}

export function getScheme(id: string): SchemeDefinition {
  const s = schemes.find((d) => d.id === id);
  if (!s) throw new Error(`Unknown signature scheme "${id}"`);
  return s;
}

/** The scheme whose signature header the request carries, and that header's name as it arrived. */
export function detectScheme(headers: HeaderPairs): { scheme: SchemeId; header: string } | null {
  for (const s of schemes)
    for (const name of s.detect) {
      const h = findHeader(headers, name);
      // A registered scheme's id is a SchemeId as far as the API's enums go (they are built from this list).
      if (h) return { scheme: s.id as SchemeId, header: h.name };
    }
  return null;
}

/** Signature headers of every scheme, lower-cased: what share links hide. */
export function schemeSecretHeaders(): Set<string> {
  return new Set(schemes.flatMap((s) => s.secretHeaders.map((n) => n.toLowerCase())));
}
