// A JSON Schema (from the OpenAPI document) as a readable property tree: name, type, required,
// description; nested objects indented, named schemas linked to their entry at the page's end.
import type { ReactNode } from "react";

export type JsonSchema = Record<string, unknown>;

const refName = (s: JsonSchema) => (typeof s.$ref === "string" ? s.$ref.split("/").pop()! : null);

function list(v: unknown): JsonSchema[] {
  return Array.isArray(v) ? (v as JsonSchema[]) : [];
}

/** A one-line type: `string (uuid)`, `Capture[]`, `"har" | "ndjson"`, `[string, string]`, `string | null`. */
export function typeLabel(s: JsonSchema): ReactNode {
  const ref = refName(s);
  if (ref) {
    return (
      <a href={`#schema-${ref}`} className="text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">
        {ref}
      </a>
    );
  }
  if ("const" in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const alts = list(s.anyOf).length ? list(s.anyOf) : list(s.oneOf);
  if (alts.length) return join(alts.map(typeLabel), " | ");
  const type = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === "string" ? [s.type] : [];
  if (type.includes("array")) {
    const tuple = list(s.prefixItems);
    if (tuple.length) return <>[{join(tuple.map(typeLabel), ", ")}]</>;
    const items = (s.items as JsonSchema | undefined) ?? {};
    const inner = typeLabel(items);
    return (
      <>
        {inner}[]{type.includes("null") ? " | null" : ""}
      </>
    );
  }
  if (type.includes("object") && s.additionalProperties && typeof s.additionalProperties === "object" && !s.properties) {
    return <>map of {typeLabel(s.additionalProperties as JsonSchema)}</>;
  }
  if (!type.length) return "any";
  const detail = [s.format, s.minimum !== undefined || s.maximum !== undefined ? `${s.minimum ?? "…"}–${s.maximum ?? "…"}` : null]
    .filter(Boolean)
    .join(", ");
  return `${type.join(" | ")}${detail ? ` (${detail})` : ""}`;
}

function join(parts: ReactNode[], sep: string): ReactNode {
  return parts.map((p, i) => (
    <span key={i}>
      {i > 0 && sep}
      {p}
    </span>
  ));
}

/** The object schema whose properties should be listed under `s`, if any (inline only; refs link). */
function expandable(s: JsonSchema): JsonSchema | null {
  if (refName(s)) return null;
  if (s.properties && typeof s.properties === "object") return s;
  if (s.items && typeof s.items === "object") return expandable(s.items as JsonSchema);
  for (const alt of [...list(s.anyOf), ...list(s.oneOf)]) {
    const e = expandable(alt);
    if (e) return e;
  }
  return null;
}

export function SchemaView({ schema, depth = 0 }: { schema: JsonSchema; depth?: number }) {
  const obj = expandable(schema);
  if (!obj) {
    return (
      <p className="font-mono text-xs">
        {typeLabel(schema)}
        {typeof schema.description === "string" && <span className="ml-2 font-sans text-zinc-500">{schema.description}</span>}
      </p>
    );
  }
  const required = new Set(Array.isArray(obj.required) ? (obj.required as string[]) : []);
  const props = Object.entries(obj.properties as Record<string, JsonSchema>);
  return (
    <ul className={depth ? "mt-1 border-l border-zinc-200 pl-3 dark:border-zinc-800" : ""}>
      {props.map(([name, p]) => (
        <li key={name} className="py-1 text-sm">
          <span className="font-mono text-[13px] font-medium">{name}</span>
          {!required.has(name) && <span className="ml-1 text-xs text-zinc-400">optional</span>}
          <span className="ml-2 font-mono text-xs text-zinc-600 dark:text-zinc-400">{typeLabel(p)}</span>
          {p.default !== undefined && <span className="ml-2 text-xs text-zinc-500">default {JSON.stringify(p.default)}</span>}
          {typeof p.description === "string" && <p className="text-xs text-zinc-500">{p.description}</p>}
          {depth < 4 && expandable(p) && <SchemaView schema={p} depth={depth + 1} />}
        </li>
      ))}
    </ul>
  );
}
