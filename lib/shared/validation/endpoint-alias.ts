// An endpoint's alias: a name the user chooses for its capture URL (/h/my-stripe-dev), beside the
// random slug, which keeps working. Both live in the one /h/<name> namespace (see docs/api.md).
import { z } from "zod";

export const ALIAS_MIN = 3;
export const ALIAS_MAX = 48;

/**
 * Words an alias may not be: our own paths and route names (a URL such as /h/api or /h/admin
 * reads like part of Hookscope, not like a user's endpoint) and words that mean "nothing".
 */
export const RESERVED_ALIASES: ReadonlySet<string> = new Set([
  "admin",
  "api",
  "api-docs",
  "app",
  "assets",
  "cli",
  "dashboard",
  "docs",
  "endpoint",
  "endpoints",
  "events",
  "h",
  "health",
  "hookscope",
  "login",
  "logout",
  "metrics",
  "new",
  "null",
  "openapi",
  "root",
  "s",
  "settings",
  "share",
  "smee",
  "static",
  "status",
  "system",
  "undefined",
  "wait",
  "www",
]);

/** Why this (already lower-cased) text is not an alias, or null when it is one. Each rule has its own sentence. */
export function aliasRefusal(alias: string): string | null {
  if (alias.length < ALIAS_MIN) return `Alias must be at least ${ALIAS_MIN} characters`;
  if (alias.length > ALIAS_MAX) return `Alias is limited to ${ALIAS_MAX} characters`;
  if (!/^[a-z0-9-]+$/.test(alias)) return "Alias may only contain lower-case letters a–z, digits and hyphens";
  if (alias.startsWith("-") || alias.endsWith("-")) return "Alias must start and end with a letter or digit";
  if (alias.includes("--")) return "Alias may not contain two hyphens in a row";
  if (RESERVED_ALIASES.has(alias)) return `"${alias}" is reserved; choose another alias`;
  return null;
}

/**
 * Input side: trimmed and lower-cased first (URLs are compared in lower case, so "My-Stripe" and
 * "my-stripe" are one alias), then checked by aliasRefusal.
 */
export const ZEndpointAlias = z
  .string({ error: "Alias must be text (or null to remove it)" })
  .trim()
  .toLowerCase()
  .superRefine((alias, ctx) => {
    const why = aliasRefusal(alias);
    if (why) ctx.addIssue({ code: "custom", message: why });
  });
