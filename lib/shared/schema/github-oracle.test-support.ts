// GitHub's official webhook schemas (@octokit/openapi-webhooks, OpenAPI 3.1) as an oracle for the
// inferred ones: the schema nodes a dotted path reaches (following $ref, allOf/anyOf/oneOf, items,
// properties, additionalProperties), and their types. Test support only.
import { createRequire } from "node:module";

type S = Record<string, unknown>;
const require = createRequire(import.meta.url);

export interface TOfficial {
  /** The request body schema of a webhook ("issues-opened", "push"), or null when GitHub has none by that name. */
  body(key: string): S | null;
  /** Nodes at the path; [] when the path does not exist. `free` is set when an open object (no properties listed) took a key. */
  at(schema: S, path: string): { nodes: S[]; free: boolean };
  types(nodes: S[]): Set<string>;
}

export interface TSchemaWalker {
  /** Nodes at the path; [] when the path does not exist. `free` is set when an open object (no properties listed) took a key. */
  at(schema: S, path: string): { nodes: S[]; free: boolean };
  types(nodes: S[]): Set<string>;
  /** The schema a $ref points to (followed until it is not a $ref). */
  resolve(s: S): S;
}

/** Walks the JSON Schemas inside `spec` (its local $refs resolve against it). Shared by the GitHub and Shopify oracles. */
export function schemaWalker(spec: S): TSchemaWalker {
  const resolve = (s: S): S => {
    let cur = s;
    for (let i = 0; i < 50 && typeof cur.$ref === "string"; i++) {
      const parts = (cur.$ref as string).replace(/^#\//, "").split("/");
      let v: unknown = spec;
      for (const p of parts) v = (v as S)[p.replace(/~1/g, "/").replace(/~0/g, "~")];
      cur = v as S;
    }
    return cur;
  };
  // All alternatives a node stands for (allOf members count too: a path may live in any of them).
  const expand = (s: S, out: S[] = [], depth = 0): S[] => {
    const r = resolve(s);
    if (depth > 20) return out;
    out.push(r);
    for (const key of ["allOf", "anyOf", "oneOf"]) {
      const list = r[key] as S[] | undefined;
      if (list) for (const sub of list) expand(sub, out, depth + 1);
    }
    return out;
  };
  const step = (nodes: S[], seg: string): { nodes: S[]; free: boolean } => {
    const out: S[] = [];
    let free = false;
    for (const n of nodes) {
      if (seg === "[]") {
        if (n.items) out.push(...expand(n.items as S));
        continue;
      }
      const props = n.properties as Record<string, S> | undefined;
      if (props && Object.prototype.hasOwnProperty.call(props, seg)) out.push(...expand(props[seg]!));
      else if (n.additionalProperties && typeof n.additionalProperties === "object") out.push(...expand(n.additionalProperties as S));
      else if (
        !props &&
        (n.type === "object" || (Array.isArray(n.type) && n.type.includes("object"))) &&
        n.additionalProperties !== false
      ) {
        free = true;
        out.push({});
      }
    }
    return { nodes: out, free };
  };
  return {
    resolve,
    at(schema, path) {
      let cur = { nodes: expand(schema), free: false };
      if (path === "") return cur;
      for (const seg of path.replace(/\[\]/g, ".[]").split(".").filter(Boolean)) {
        const next = step(cur.nodes, seg);
        cur = { nodes: next.nodes, free: cur.free || next.free };
        if (cur.nodes.length === 0) return cur;
      }
      return cur;
    },
    types(nodes) {
      const out = new Set<string>();
      for (const n of nodes) {
        const t = n.type;
        if (typeof t === "string") out.add(t);
        else if (Array.isArray(t)) for (const x of t as string[]) out.add(x);
        if (n.nullable === true) out.add("null");
        if (n.const === null || (Array.isArray(n.enum) && (n.enum as unknown[]).includes(null))) out.add("null");
      }
      return out;
    },
  };
}

export function loadGitHubOracle(): TOfficial {
  const spec = require("@octokit/openapi-webhooks/generated/api.github.com.json") as S;
  const walker = schemaWalker(spec);
  return {
    body(key) {
      const hook = (spec.webhooks as Record<string, S>)[key];
      if (!hook) return null;
      const post = hook.post as S;
      const content = ((post.requestBody as S).content as Record<string, S>)["application/json"];
      return content ? walker.resolve(content.schema as S) : null;
    },
    at: walker.at,
    types: walker.types,
  };
}

interface TExampleSet {
  name: string;
  examples: Record<string, unknown>[];
}
const github = () => require("@octokit/webhooks-examples") as TExampleSet[];

/** GitHub's examples by the event type Hookscope gives them (lib/shared/events/event-type.ts: event, or event.action). */
export function githubByType(): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const set of github()) {
    for (const ex of set.examples) {
      const type = typeof ex.action === "string" ? `${set.name}.${ex.action}` : set.name;
      out.set(type, [...(out.get(type) ?? []), ex]);
    }
  }
  return out;
}
