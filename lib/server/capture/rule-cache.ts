// Compiled response rules, one entry per endpoint and settings revision: globs, regexes and JSON
// paths are built when a revision is first seen, never per request.
import "server-only";
import { compileRules, type CompiledRules } from "@/lib/shared/capture/rules";
import type { TResponseRule } from "@/lib/shared/validation/response-rules";
import { warmUpTemplates } from "@/lib/shared/capture/templates";

// Once per process, before the first capture: the first templated answer then renders warm.
warmUpTemplates();

const MAX_ENTRIES = 10_000;
const cache = new Map<string, { rev: number; compiled: CompiledRules }>();

/** The compiled rules of `endpointId` at revision `rev` (a new revision replaces the old entry). */
export function compiledRulesFor(endpointId: string, rev: number, rules: readonly TResponseRule[]): CompiledRules | null {
  if (rules.length === 0) return null;
  const hit = cache.get(endpointId);
  if (hit && hit.rev === rev) return hit.compiled;
  const compiled = compileRules(rules);
  cache.delete(endpointId);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(endpointId, { rev, compiled });
  return compiled;
}
