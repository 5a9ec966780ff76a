// Response rules compiled once (globs and regexes built, JSON paths split) and matched against a
// request: first match wins. Pure: the capture handler (lib/server/capture/handler.ts), the
// capture detail (which rule answered) and "try against capture" all use this one matcher.
import {
  MAX_REGEX_INPUT_CHARS,
  type TBodyMatch,
  type TEventKey,
  type THeaderMatch,
  type TResponseRule,
} from "../validation/response-rules";
import { answerHeaderRefusal, HEADER_VALUE } from "../validation/endpoints";
import { jsonAt as at, jsonText as asText, splitJsonPath } from "../format/json-path";
import type { HandshakeRequest } from "./handshakes";
import { compileHeaderRegex, compilePathGlob, type CompiledPattern } from "./patterns";
import { isTemplate, parseTemplate, renderTemplate, type ParsedTemplate, type TemplateVars } from "./templates";

/** A request as rules read it: the answer's request plus the path after /h/{slug}. */
export interface RuleRequest extends HandshakeRequest {
  /** As sent, after /h/{slug}; "" for /h/{slug} itself (matched as "/"). */
  path: string;
  /** Every header, lower-case names, repeated ones joined with ", " (for templates). */
  headers(): Record<string, string>;
}

/** JSON bodies larger than this are not parsed for JSON conditions or event keys (they do not match). */
export const MAX_JSON_MATCH_BYTES = 1024 * 1024;

type Test = (req: RuleRequest, ctx: MatchContext) => boolean;

export interface CompiledRule {
  rule: TResponseRule;
  index: number;
  tests: Test[];
  /** The answer's body and header values that are templates, parsed; null when none is. */
  templates: RuleTemplates | null;
}

/** Parsed templates of one rule's answer: the body's, and each header value's (null where it is plain text). */
export interface RuleTemplates {
  body: ParsedTemplate | null;
  headers: (ParsedTemplate | null)[];
  /** Set when a stored template no longer parses (validated on save, so only after an engine change). */
  error: string | null;
}

function compileTemplates(rule: TResponseRule): RuleTemplates | null {
  const { body, headers } = rule.answer;
  const hasBody = body !== null && isTemplate(body);
  if (!hasBody && !headers.some(([, v]) => isTemplate(v))) return null;
  try {
    return {
      body: hasBody ? parseTemplate(body) : null,
      headers: headers.map(([, v]) => (isTemplate(v) ? parseTemplate(v) : null)),
      error: null,
    };
  } catch (e) {
    return { body: null, headers: [], error: e instanceof Error ? e.message : String(e) };
  }
}

/** The rule with its answer's templates rendered, or why it could not be (an error or a limit hit). */
export type RenderedRule = { ok: true; rule: TResponseRule } | { ok: false; error: string };

/** renderRule for one rule outside the capture path (the capture detail, "try against capture"): parses its templates first. */
export function renderRuleOnce(rule: TResponseRule, vars: TemplateVars, limitMs?: number): RenderedRule {
  return renderRule({ rule, index: 0, tests: [], templates: compileTemplates(rule) }, vars, limitMs);
}

/** `limitMs`: render time per template (the capture path's TEMPLATE_RENDER_MS unless given). */
export function renderRule(compiled: CompiledRule, vars: TemplateVars, limitMs?: number): RenderedRule {
  const t = compiled.templates;
  const rule = compiled.rule;
  if (t === null) return { ok: true, rule };
  if (t.error !== null) return { ok: false, error: `Template does not parse: ${t.error}` };
  let body = rule.answer.body;
  if (t.body) {
    const r = renderTemplate(t.body, vars, limitMs);
    if (!r.ok) return { ok: false, error: `Body template: ${r.error}` };
    body = r.text;
  }
  const headers: [string, string][] = [];
  for (const [i, [name, value]] of rule.answer.headers.entries()) {
    const tpl = t.headers[i];
    if (!tpl) {
      headers.push([name, value]);
      continue;
    }
    const r = renderTemplate(tpl, vars, limitMs);
    if (!r.ok) return { ok: false, error: `Header ${name} template: ${r.error}` };
    // A header value may not hold line breaks or NUL (node refuses them; they would split the answer).
    if (!HEADER_VALUE.test(r.text))
      return { ok: false, error: `Header ${name} template: the value rendered holds a character a header cannot` };
    if (r.text.length > 8192) return { ok: false, error: `Header ${name} template: the value rendered is over 8192 characters` };
    // What the settings API refuses of a written value (a Location off this origin) is refused of a rendered one.
    const refusal = answerHeaderRefusal(name, r.text);
    if (refusal) return { ok: false, error: `Header ${name} template: ${refusal.message}` };
    headers.push([name, r.text]);
  }
  return { ok: true, rule: { ...rule, answer: { ...rule.answer, body, headers } } };
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
  const re = compiledOrNever(() => compileHeaderRegex(h.value));
  return (req) => {
    const v = req.header(name);
    return v !== undefined && re.test(v.length > MAX_REGEX_INPUT_CHARS ? v.slice(0, MAX_REGEX_INPUT_CHARS) : v);
  };
}

/**
 * A pattern the validation accepts always compiles. One saved before regexes ran on RE2 may not
 * (a lookahead, a backreference): it matches nothing until the rule is saved again, which names
 * what to change.
 */
function compiledOrNever(compile: () => CompiledPattern): Pick<CompiledPattern, "test"> {
  try {
    return compile();
  } catch {
    return { test: () => false };
  }
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
    const glob = compiledOrNever(() => compilePathGlob(m.path!));
    tests.push((req) => glob.test(req.path === "" ? "/" : req.path));
  }
  for (const q of m.query) {
    tests.push(q.value === null ? (_r, ctx) => ctx.query.has(q.name) : (_r, ctx) => ctx.query.getAll(q.name).includes(q.value!));
  }
  for (const h of m.headers) tests.push(headerTest(h));
  if (m.body !== null) tests.push(bodyTest(m.body));
  return { rule, index, tests, templates: compileTemplates(rule) };
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
