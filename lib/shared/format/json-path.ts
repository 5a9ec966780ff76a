// Dotted JSON paths (`data.object.id`, `items[0].id` or `items.0.id`, optionally led by `$.`): split once, read many
// times. The syntax is checked by ZJsonPath (lib/shared/validation/json-path.ts). Used by response
// rules, event keys and replay checks.

/** `data.object.id`, `$.items[0].id` → ["data", "object", "id"], ["items", 0, "id"]. The schema checked the syntax. */
export function splitJsonPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.replace(/^\$\./, "").matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  }
  return out;
}

/** The value at a split path; own properties only (no `__proto__`, no `constructor`). */
export function jsonAt(value: unknown, path: readonly (string | number)[]): { found: true; value: unknown } | { found: false } {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return { found: false };
    if (typeof seg === "number") {
      if (!Array.isArray(v) || seg >= v.length) return { found: false };
      v = v[seg];
    } else if (Array.isArray(v)) {
      // `items.0.id`: a dotted name of digits indexes an array.
      if (!/^\d+$/.test(seg) || Number(seg) >= v.length) return { found: false };
      v = v[Number(seg)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(v, seg)) return { found: false };
      v = (v as Record<string, unknown>)[seg];
    }
  }
  return { found: true, value: v };
}

/** A JSON value as the text a user compares it with: strings as they are, the rest as JSON. */
export function jsonText(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}
