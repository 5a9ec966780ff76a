// Inferred JSON Schema of an event type, merged one payload at a time into a compact state and
// rendered to JSON Schema (draft 2020-12) when asked. Written here because no library does this
// incrementally: the inferrers on npm (quicktype's JSON input, genson-js, to-json-schema) take all
// samples at once and keep no per-field counts, so "required" (present in every sample), small
// enums (few distinct strings over many samples) and drift (a field that was always there is
// missing) could not be answered without re-reading every capture. The state is plain JSON, so the
// server keeps it in a jsonb column (event_schemas.state) and merges each new capture in time
// proportional to that capture's payload.
//
// Bounds (a state never grows past them, whatever is sent):
//   depth            SCHEMA_MAX_DEPTH levels of objects/arrays; deeper values count only their type
//   properties       SCHEMA_MAX_PROPERTIES keys per object; later new keys are counted in `more`, not kept
//   enum candidates  SCHEMA_ENUM_MAX distinct strings of at most SCHEMA_ENUM_MAX_LENGTH characters per field;
//                    one more and the field stops collecting them
//   examples         SCHEMA_EXAMPLES distinct scalar examples per field, strings cut to SCHEMA_EXAMPLE_MAX_LENGTH

export const SCHEMA_MAX_DEPTH = 16;
export const SCHEMA_MAX_PROPERTIES = 300;
export const SCHEMA_ENUM_MAX = 12;
export const SCHEMA_ENUM_MAX_LENGTH = 64;
/** A field's strings render as an enum only after this many samples, with each value seen twice on average. */
export const SCHEMA_ENUM_MIN_SAMPLES = 5;
export const SCHEMA_EXAMPLES = 3;
export const SCHEMA_EXAMPLE_MAX_LENGTH = 80;

export const KINDS = ["null", "boolean", "integer", "number", "string", "object", "array"] as const;
export type TKind = (typeof KINDS)[number];
export const FORMATS = ["date-time", "date", "email", "uuid", "uri"] as const;
export type TFormat = (typeof FORMATS)[number];

/** One field (or array item, or the root): how often each kind was seen, and per kind what more is known. */
export interface TSchemaNode {
  /** Times a value was here (for an object's property: the samples that had it). */
  n: number;
  /** Count per kind. */
  t: Partial<Record<TKind, number>>;
  /** Object properties, in first-seen order. */
  p?: Record<string, TSchemaNode>;
  /** New keys refused once `p` was full. */
  more?: number;
  /** Array items, all elements merged. */
  i?: TSchemaNode;
  /** Strings that matched each format. */
  f?: Partial<Record<TFormat, number>>;
  /** Distinct strings with their counts, while few and short; null once there were too many. */
  e?: Record<string, number> | null;
  /** A few distinct scalar examples. */
  x?: (string | number | boolean)[];
}

export interface TSchemaState {
  v: 1;
  /** Payloads merged. */
  samples: number;
  root: TSchemaNode;
}

export const emptySchemaState = (): TSchemaState => ({ v: 1, samples: 0, root: { n: 0, t: {} } });

export function kindOf(v: unknown): TKind {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  switch (typeof v) {
    case "boolean":
      return "boolean";
    case "number":
      return Number.isInteger(v) ? "integer" : "number";
    case "string":
      return "string";
    default:
      return "object";
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@"<>()[\]:;,]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// No braces: GitHub's `…/following{/other_user}` are URI templates, not URIs.
const URI = /^[a-z][a-z0-9+.-]*:\/\/[^\s{}<>"\\^`|]+$/i;

/** The format a string has, checked in this order; null when none. */
export function formatOf(s: string): TFormat | null {
  if (s.length > 2048) return null;
  if (DATE_TIME.test(s)) return "date-time";
  if (DATE.test(s)) return "date";
  if (UUID.test(s)) return "uuid";
  if (EMAIL.test(s)) return "email";
  if (URI.test(s)) return "uri";
  return null;
}

function addExample(node: TSchemaNode, v: string | number | boolean): void {
  const ex = typeof v === "string" && v.length > SCHEMA_EXAMPLE_MAX_LENGTH ? `${v.slice(0, SCHEMA_EXAMPLE_MAX_LENGTH - 1)}…` : v;
  const list = (node.x ??= []);
  if (list.length < SCHEMA_EXAMPLES && !list.includes(ex)) list.push(ex);
}

// A payload's keys are data: "constructor", "toString" or "__proto__" are fields like any other.
// A plain object's lookup would find Object.prototype's members for them, and an assignment to
// "__proto__" would set the object's prototype; so the maps of fields and enum values are read
// and written through these two, also after a state is parsed back from the database.

/** The map's own entry for `key`, never one it inherits. */
function own<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sets the map's own entry for `key` ("__proto__" too: as a field, not as the prototype). */
function put<T>(map: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

function mergeNode(node: TSchemaNode, v: unknown, depth: number): void {
  const kind = kindOf(v);
  node.n++;
  node.t[kind] = (node.t[kind] ?? 0) + 1;
  if (depth >= SCHEMA_MAX_DEPTH) return;
  switch (kind) {
    case "object": {
      const props = (node.p ??= {});
      let size = Object.keys(props).length;
      for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
        let child = own(props, k);
        if (!child) {
          if (size >= SCHEMA_MAX_PROPERTIES) {
            node.more = (node.more ?? 0) + 1;
            continue;
          }
          child = { n: 0, t: {} };
          put(props, k, child);
          size++;
        }
        mergeNode(child, val, depth + 1);
      }
      return;
    }
    case "array": {
      const items = v as unknown[];
      if (items.length === 0) return;
      const child = (node.i ??= { n: 0, t: {} });
      for (const item of items) mergeNode(child, item, depth + 1);
      return;
    }
    case "string": {
      const s = v as string;
      const f = formatOf(s);
      if (f) (node.f ??= {})[f] = (node.f?.[f] ?? 0) + 1;
      if (node.e !== null) {
        const e = (node.e ??= {});
        const seen = own(e, s);
        if (s.length > SCHEMA_ENUM_MAX_LENGTH || (seen === undefined && Object.keys(e).length >= SCHEMA_ENUM_MAX)) node.e = null;
        else put(e, s, (seen ?? 0) + 1);
      }
      addExample(node, s);
      return;
    }
    case "integer":
    case "number":
    case "boolean":
      addExample(node, v as number | boolean);
      return;
    default:
      return;
  }
}

/** Merges one payload into the state (in place) and returns it. */
export function mergeSample(state: TSchemaState, value: unknown): TSchemaState {
  state.samples++;
  mergeNode(state.root, value, 0);
  return state;
}

// ---------------------------------------------------------------------------------------------
// Rendering

export type TJsonSchema = Record<string, unknown>;

const ORDER: readonly TKind[] = KINDS;

function renderNode(node: TSchemaNode): TJsonSchema {
  const out: TJsonSchema = {};
  let kinds = ORDER.filter((k) => (node.t[k] ?? 0) > 0);
  // An integer is a number: a field with both is a number.
  if (kinds.includes("integer") && kinds.includes("number")) kinds = kinds.filter((k) => k !== "integer");
  if (kinds.length === 1) out.type = kinds[0];
  else if (kinds.length > 1) out.type = kinds;

  const strings = node.t.string ?? 0;
  if (strings > 0) {
    const f = FORMATS.find((fmt) => (node.f?.[fmt] ?? 0) === strings);
    if (f) out.format = f;
    else if (node.e && kinds.every((k) => k === "string" || k === "null")) {
      const values = Object.keys(node.e);
      if (strings >= SCHEMA_ENUM_MIN_SAMPLES && values.length * 2 <= strings) {
        out.enum = kinds.includes("null") ? [...values.sort(), null] : values.sort();
      }
    }
  }
  const objects = node.t.object ?? 0;
  if (objects > 0 && node.p) {
    const properties: Record<string, TJsonSchema> = {};
    const required: string[] = [];
    for (const [k, child] of Object.entries(node.p)) {
      put(properties, k, renderNode(child));
      if (child.n === objects) required.push(k);
    }
    out.properties = properties;
    if (required.length) out.required = required;
  }
  if ((node.t.array ?? 0) > 0 && node.i) out.items = renderNode(node.i);
  if (node.x?.length && !out.enum) out.examples = node.x;
  return out;
}

/** The state as a JSON Schema (draft 2020-12). Objects stay open (new fields validate). */
export function renderSchema(state: TSchemaState, title?: string): TJsonSchema {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    ...(title ? { title } : {}),
    ...renderNode(state.root),
  };
}

/** Every path of a rendered schema with its types (`a.b`, `list[].id`; the root is ""). For comparisons and tests. */
export function schemaPaths(schema: TJsonSchema, prefix = "", out = new Map<string, string[]>()): Map<string, string[]> {
  const t = schema.type;
  out.set(prefix, t === undefined ? [] : Array.isArray(t) ? (t as string[]) : [t as string]);
  const props = schema.properties as Record<string, TJsonSchema> | undefined;
  if (props) for (const [k, s] of Object.entries(props)) schemaPaths(s, prefix ? `${prefix}.${k}` : k, out);
  if (schema.items) schemaPaths(schema.items as TJsonSchema, `${prefix}[]`, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Drift: how one payload differs from the state before it was merged

/** A field was always present in at least this many earlier samples before its absence counts as drift. */
export const DRIFT_MIN_SAMPLES = 5;
/** At most this many changes are kept per capture. */
export const DRIFT_MAX_CHANGES = 20;

export interface TDriftChange {
  /** `added`: a field never seen; `removed`: a field present in every earlier sample; `type`: a kind never seen there. */
  kind: "added" | "removed" | "type";
  /** Dotted path (`pull_request.head.sha`, `commits[].id`). */
  path: string;
  /** Types seen before (empty for added). */
  before: string[];
  /** Type now (empty for removed). */
  after: string[];
}

const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);
const seenKinds = (node: TSchemaNode) => ORDER.filter((k) => (node.t[k] ?? 0) > 0);
// integer and number are one kind for drift: a price of 10 then 10.5 is not a change of type.
const numeric = (k: TKind): TKind => (k === "integer" ? "number" : k);

function driftNode(node: TSchemaNode, v: unknown, path: string, depth: number, out: TDriftChange[]): void {
  if (out.length >= DRIFT_MAX_CHANGES || node.n === 0) return;
  const kind = kindOf(v);
  const before = seenKinds(node);
  if (!before.some((k) => numeric(k) === numeric(kind))) {
    out.push({ kind: "type", path, before, after: [kind] });
    return;
  }
  if (depth >= SCHEMA_MAX_DEPTH) return;
  if (kind === "object" && node.p) {
    const objects = node.t.object ?? 0;
    const obj = v as Record<string, unknown>;
    const full = (node.more ?? 0) > 0 || Object.keys(node.p).length >= SCHEMA_MAX_PROPERTIES;
    for (const [k, val] of Object.entries(obj)) {
      if (out.length >= DRIFT_MAX_CHANGES) return;
      const child = own(node.p, k);
      if (child) driftNode(child, val, join(path, k), depth + 1, out);
      else if (!full) out.push({ kind: "added", path: join(path, k), before: [], after: [kindOf(val)] });
    }
    if (objects >= DRIFT_MIN_SAMPLES) {
      for (const [k, child] of Object.entries(node.p)) {
        if (out.length >= DRIFT_MAX_CHANGES) return;
        if (child.n === objects && !Object.hasOwn(obj, k)) {
          out.push({ kind: "removed", path: join(path, k), before: seenKinds(child), after: [] });
        }
      }
    }
  } else if (kind === "array" && node.i) {
    for (const item of v as unknown[]) {
      if (out.length >= DRIFT_MAX_CHANGES) return;
      driftNode(node.i, item, `${path}[]`, depth + 1, out);
    }
  }
}

/**
 * What in `value` the state has not seen: new fields, fields present in every one of at least
 * DRIFT_MIN_SAMPLES earlier samples now missing, values of a type never seen at that path. New
 * values of known fields are not drift. Empty for the first sample of a type.
 */
export function driftOf(state: TSchemaState, value: unknown): TDriftChange[] {
  const out: TDriftChange[] = [];
  if (state.samples === 0) return out;
  driftNode(state.root, value, "", 0, out);
  // Array items report each element: keep one change per path and kind.
  const seen = new Set<string>();
  return out.filter((c) => {
    const key = `${c.kind}\u0000${c.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
