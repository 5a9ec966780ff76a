// Templates in response rule answers (body and header values), rendered by liquidjs in a sandbox:
// the variables below are all a template can read. No file is ever read (no include, render or
// layout tag; an empty in-memory template map), only own properties of the variables are visible
// (no constructor, __proto__ or prototype methods), unknown filters are refused when parsed, and
// each render is bounded in time (TEMPLATE_RENDER_MS), allocation (liquidjs' memoryLimit) and
// output (MAX_TEMPLATE_OUTPUT_CHARS). Parsed once per settings revision (lib/shared/capture/rules.ts).
import { Context, Liquid, toValue, toValueSync, type Emitter, type Template } from "liquidjs";
import type { RuleRequest } from "./rules";

/** Rendered output beyond this many characters stops the render: the endpoint's own answer goes instead. */
export const MAX_TEMPLATE_OUTPUT_CHARS = 64 * 1024;
/** Milliseconds one template may render (liquidjs' renderLimit, checked between template nodes and loop turns). */
export const TEMPLATE_RENDER_MS = 10;
/** liquidjs' memoryLimit: characters or items allocated by filters, ranges and joins within one render. */
const TEMPLATE_MEMORY_LIMIT = 100_000;
/** JSON bodies larger than this are given to templates as text (`body` is the string). */
const MAX_TEMPLATE_JSON_BYTES = 1024 * 1024;

const engine = new Liquid({
  templates: {}, // lookups go to this empty map, never to the filesystem
  ownPropertyOnly: true,
  strictFilters: true,
  strictVariables: false,
  cache: false,
  parseLimit: 256 * 1024,
  renderLimit: TEMPLATE_RENDER_MS,
  memoryLimit: TEMPLATE_MEMORY_LIMIT,
});
// Tags that load other templates: refused when a template is parsed ("tag include not found").
for (const tag of ["include", "render", "layout", "block"]) delete engine.tags[tag];

/** True when a string holds Liquid markup; anything else is sent as written and never parsed. */
export function isTemplate(source: string): boolean {
  return source.includes("{{") || source.includes("{%");
}

export type ParsedTemplate = Template[];

/** Parses a template; throws an Error naming the line and column when it does not parse. */
export function parseTemplate(source: string): ParsedTemplate {
  return engine.parse(source);
}

/** Why a template does not parse, or null when it does (or holds no markup). */
export function templateError(source: string): string | null {
  if (!isTemplate(source)) return null;
  try {
    parseTemplate(source);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message.split("\n")[0]! : String(e);
  }
}

/** What a template can read. */
export interface TemplateVars {
  method: string;
  /** After /h/{slug}, "/" for the URL itself. */
  path: string;
  /** First value of each parameter. */
  query: Record<string, string>;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body parsed as JSON, else its text (UTF-8). */
  body: unknown;
  /** The capture id (UUID) and its number within the endpoint. */
  id: string;
  seq: number;
  /** When the request arrived, ISO 8601 (UTC). */
  now: string;
}

/** The variables for a request stored as capture `id`, number `seq`, received at `receivedAt` (ISO). */
export function templateVars(req: RuleRequest, id: string, seq: number, receivedAt: string): TemplateVars {
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(req.query ?? "")) if (!Object.hasOwn(query, k)) query[k] = v;
  let body: unknown = "";
  if (req.body && req.body.length > 0) {
    const text = new TextDecoder().decode(req.body);
    body = text;
    if (req.body.length <= MAX_TEMPLATE_JSON_BYTES) {
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: the text
      }
    }
  }
  // Milliseconds, as JavaScript writes ISO times (received_at is stored with microseconds).
  const now = receivedAt.replace(/(\.\d{3})\d+Z$/, "$1Z");
  return { method: req.method, path: req.path === "" ? "/" : req.path, query, headers: req.headers(), body, id, seq, now };
}

class OutputLimit extends Error {}

/** liquidjs' SimpleEmitter with a cap: writing past MAX_TEMPLATE_OUTPUT_CHARS throws at once. */
class BoundedEmitter implements Emitter {
  buffer = "";
  write(html: unknown): void {
    const s = text(html);
    if (this.buffer.length + s.length > MAX_TEMPLATE_OUTPUT_CHARS) {
      throw new OutputLimit(`Template output is over the limit of ${MAX_TEMPLATE_OUTPUT_CHARS / 1024} KiB`);
    }
    this.buffer += s;
  }
}

function text(value: unknown): string {
  const v: unknown = toValue(value);
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(text).join("");
  return String(v);
}

export type RenderResult = { ok: true; text: string } | { ok: false; error: string };

/**
 * Time for rendering again what the capture path rendered (the capture detail) or a preview ("try
 * against capture"): the same output and allocation bounds, but a cold process or a busy machine
 * must not turn an answer that was sent into one that "failed".
 */
export const REPLAY_RENDER_MS = 250;

/** Renders a parsed template, synchronously and within its bounds; an error or a limit hit is returned, never thrown. */
export function renderTemplate(template: ParsedTemplate, vars: TemplateVars, limitMs = TEMPLATE_RENDER_MS): RenderResult {
  const emitter = new BoundedEmitter();
  try {
    const ctx = new Context(vars, engine.options, { sync: true, renderLimit: limitMs }, { liquid: engine });
    toValueSync(engine.renderer.renderTemplates(template, ctx, emitter));
    return { ok: true, text: emitter.buffer };
  } catch (e) {
    return { ok: false, error: reason(e) };
  }
}

function reason(e: unknown): string {
  let err: unknown = e;
  // liquidjs wraps what a tag threw (our OutputLimit too) in RenderError, keeping it as originalError.
  while (err instanceof Error && !(err instanceof OutputLimit) && (err as { originalError?: unknown }).originalError) {
    err = (err as { originalError?: unknown }).originalError;
  }
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split("\n")[0]!.slice(0, 500);
}

/**
 * Renders a small template once, so the first request a process answers with a template does not
 * pay for compiling the engine's code paths inside its 10 ms (the capture path calls this at start).
 */
export function warmUpTemplates(): void {
  const vars: TemplateVars = {
    method: "POST",
    path: "/",
    query: {},
    headers: { a: "b" },
    body: { id: "x", n: [1] },
    id: "i",
    seq: 1,
    now: "",
  };
  for (let i = 0; i < 20; i++) {
    renderTemplate(
      parseTemplate(
        '{"a": "{{ body.id }}", "b": {{ seq }}, "c": "{{ headers.a | upcase }}"}{% for x in body.n %}{{ x }}{% endfor %}{% if method == "POST" %}p{% endif %}',
      ),
      vars,
      REPLAY_RENDER_MS,
    );
  }
}
