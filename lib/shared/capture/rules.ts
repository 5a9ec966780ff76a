// Response rules compiled once (globs and regexes built, JSON paths split) and matched against a
// request: first match wins. Pure: the capture handler (lib/server/capture/handler.ts), the
// capture detail (which rule answered) and "try against capture" all use this one matcher.
import picomatch from "picomatch";
import {
  MAX_REGEX_INPUT_CHARS,
  type TBodyMatch,
  type TEventKey,
  type THeaderMatch,
  type TResponseRule,
} from "../validation/response-rules";
import { jsonAt as at, jsonText as asText, splitJsonPath } from "../format/json-path";
import type { HandshakeRequest } from "./handshakes";

/** A request as rules read it: the answer's request plus the path after /h/{slug}. */
export interface RuleRequest extends HandshakeRequest {
  /** As sent, after /h/{slug}; "" for /h/{slug} itself (matched as "/"). */
  path: string;
}

/** JSON bodies larger than this are not parsed for JSON conditions or event keys (they do not match). */
export const MAX_JSON_MATCH_BYTES = 1024 * 1024;

type Test = (req: RuleRequest, ctx: MatchContext) => boolean;

export interface CompiledRule {
  rule: TResponseRule;
  index: number;
  tests: Test[];
}

export interface CompiledRules {
  rules: CompiledRule[];
}

/** Per request, computed at most once however many rules ask: the parsed query and the parsed JSON body. */
class MatchContext {
  private queryParams: URLSearchParams | undefined;
  private json: { value: unknown } | null | undefined;
  constructor(private readonly req: RuleRequest) {}
  get query(): URLSearchParams {
    return (this.queryParams ??= new URLSearchParams(this.req.query ?? ""));
  }
  /** The body as JSON, or null when it is not (or too large). */
  get body(): { value: unknown } | null {
    if (this.json !== undefined) return this.json;
    this.json = null;
    const b = this.req.body;
    if (b && b.length > 0 && b.length <= MAX_JSON_MATCH_BYTES) {
      try {
        this.json = { value: JSON.parse(new TextDecoder().decode(b)) };
      } catch {
        // not JSON: JSON conditions do not match
      }
    }
    return this.json;
  }
}

function headerTest(h: THeaderMatch): Test {
  const name = h.name.toLowerCase();
  if (h.op === "present") return (req) => req.header(name) !== undefined;
  if (h.op === "equals") return (req) => req.header(name) === h.value;
  const re = new RegExp(h.value);
  return (req) => {
    const v = req.header(name);
    return v !== undefined && re.test(v.length > MAX_REGEX_INPUT_CHARS ? v.slice(0, MAX_REGEX_INPUT_CHARS) : v);
  };
}

function bodyTest(b: TBodyMatch): Test {
  if (b.op === "contains") {
    const needle = Buffer.from(b.text, "utf8");
    return (req) => req.body !== null && Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength).includes(needle);
  }
  const path = splitJsonPath(b.path);
  if (b.op === "jsonExists") {
    return (_req, ctx) => {
      const body = ctx.body;
      return body !== null && at(body.value, path).found;
    };
  }
  return (_req, ctx) => {
    const body = ctx.body;
    if (body === null) return false;
    const v = at(body.value, path);
    return v.found && asText(v.value) === b.value;
  };
}

function compileRule(rule: TResponseRule, index: number): CompiledRule {
  const m = rule.match;
  const tests: Test[] = [];
  if (m.methods !== null) {
    const methods = new Set<string>(m.methods);
    tests.push((req) => methods.has(req.method.toUpperCase()));
  }
  if (m.path !== null) {
    const isMatch = picomatch(m.path, { dot: true });
    tests.push((req) => isMatch(req.path === "" ? "/" : req.path));
  }
  for (const q of m.query) {
    tests.push(q.value === null ? (_r, ctx) => ctx.query.has(q.name) : (_r, ctx) => ctx.query.getAll(q.name).includes(q.value!));
  }
  for (const h of m.headers) tests.push(headerTest(h));
  if (m.body !== null) tests.push(bodyTest(m.body));
  return { rule, index, tests };
}

/** Builds every glob, regex and path once; call once per settings revision (the capture path caches it). */
export function compileRules(rules: readonly TResponseRule[]): CompiledRules {
  return { rules: rules.map(compileRule) };
}

/** The first rule every condition of which holds, or null (the endpoint's own answer). */
export function matchRule(compiled: CompiledRules, req: RuleRequest): CompiledRule | null {
  if (compiled.rules.length === 0) return null;
  const ctx = new MatchContext(req);
  for (const c of compiled.rules) {
    if (c.tests.every((t) => t(req, ctx))) return c;
  }
  return null;
}

/** Event keys are stored per rule; longer ones are cut (no provider sends one this long). */
export const MAX_EVENT_KEY_CHARS = 512;

/** The event key of a request for first-N failure, or null when the request has none. */
export function eventKeyOf(key: TEventKey, req: RuleRequest): string | null {
  let v: string | null = null;
  if (key.from === "header") {
    v = req.header(key.name.toLowerCase()) ?? null;
  } else {
    const body = new MatchContext(req).body;
    const found = body === null ? null : at(body.value, splitJsonPath(key.path));
    if (found?.found && found.value !== null && found.value !== undefined) v = asText(found.value);
  }
  if (v === null || v === "") return null;
  return v.length > MAX_EVENT_KEY_CHARS ? v.slice(0, MAX_EVENT_KEY_CHARS) : v;
}
