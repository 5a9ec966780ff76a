// Structural JSON diff: our own small recursive walker over lossless trees (json-parse.ts) rather
// than jsondiffpatch, because we need the list of changed paths with both values (not a patch
// delta) and numbers compared by their digits (JSON.parse-based libraries see two 19-digit ids as
// equal). Object key order is ignored; arrays of equal length compare index by index, arrays whose
// length changed are aligned with jsdiff's diffArrays so one inserted element reads as one
// addition, not as every later element changed. Paths are written as jq would: .data.items[2]."x-y".
import { diffArrays } from "diff";
import { JsonNumber, JsonObject, jsonPreview, sameNumber, type TJsonValue } from "./json-parse";

export type TJsonChangeKind = "added" | "removed" | "changed";

export interface TJsonChange {
  path: string;
  kind: TJsonChangeKind;
  /** Compact JSON of the value in A (absent when added). */
  a?: string;
  /** Compact JSON of the value in B (absent when removed). */
  b?: string;
}

export interface TJsonDiff {
  /** The first `maxChanges` changes, in document order (A's key order, then keys only B has). */
  changes: TJsonChange[];
  /** All changes found, listed or not. */
  total: number;
}

/** Arrays longer than this whose length changed are compared by index (alignment would be slow). */
const MAX_ALIGNED_ARRAY = 5000;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function keyPath(parent: string, key: string): string {
  const base = parent === "." ? "" : parent;
  return IDENT.test(key) ? `${base}.${key}` : `${base}.${JSON.stringify(key)}`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent === "." ? "." : parent}[${index}]`;
}

function kindOf(v: TJsonValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (v instanceof JsonObject) return "object";
  if (v instanceof JsonNumber) return "number";
  return typeof v;
}

export function jsonEqual(a: TJsonValue, b: TJsonValue): boolean {
  if (a === b) return true;
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  switch (ka) {
    case "number":
      return sameNumber(a as JsonNumber, b as JsonNumber);
    case "array": {
      const x = a as TJsonValue[];
      const y = b as TJsonValue[];
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!jsonEqual(x[i]!, y[i]!)) return false;
      return true;
    }
    case "object": {
      const x = (a as JsonObject).entries;
      const y = (b as JsonObject).entries;
      if (x.size !== y.size) return false;
      for (const [k, v] of x) {
        if (!y.has(k) || !jsonEqual(v, y.get(k)!)) return false;
      }
      return true;
    }
    default:
      return false; // strings and booleans were equal only if ===
  }
}

/** The changed paths between two JSON values, key order ignored. */
export function diffJson(a: TJsonValue, b: TJsonValue, opts: { maxChanges?: number; previewChars?: number } = {}): TJsonDiff {
  const max = opts.maxChanges ?? 1000;
  const previewChars = opts.previewChars ?? 300;
  const changes: TJsonChange[] = [];
  let total = 0;
  const emit = (path: string, kind: TJsonChangeKind, va?: TJsonValue, vb?: TJsonValue) => {
    total++;
    if (changes.length >= max) return;
    const c: TJsonChange = { path, kind };
    if (va !== undefined) c.a = jsonPreview(va, previewChars);
    if (vb !== undefined) c.b = jsonPreview(vb, previewChars);
    changes.push(c);
  };

  const walk = (x: TJsonValue, y: TJsonValue, path: string) => {
    const kx = kindOf(x);
    const ky = kindOf(y);
    if (kx !== ky) return emit(path, "changed", x, y);
    if (kx === "object") {
      const ex = (x as JsonObject).entries;
      const ey = (y as JsonObject).entries;
      for (const [k, vx] of ex) {
        const p = keyPath(path, k);
        if (!ey.has(k)) emit(p, "removed", vx);
        else walk(vx, ey.get(k)!, p);
      }
      for (const [k, vy] of ey) if (!ex.has(k)) emit(keyPath(path, k), "added", undefined, vy);
      return;
    }
    if (kx === "array") return walkArray(x as TJsonValue[], y as TJsonValue[], path);
    if (!jsonEqual(x, y)) emit(path, "changed", x, y);
  };

  const walkArray = (x: TJsonValue[], y: TJsonValue[], path: string) => {
    if (x.length === y.length || x.length > MAX_ALIGNED_ARRAY || y.length > MAX_ALIGNED_ARRAY) {
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) walk(x[i]!, y[i]!, indexPath(path, i));
      for (let i = n; i < x.length; i++) emit(indexPath(path, i), "removed", x[i]);
      for (let i = n; i < y.length; i++) emit(indexPath(path, i), "added", undefined, y[i]);
      return;
    }
    const parts = diffArrays(x, y, { comparator: jsonEqual });
    let ia = 0;
    let ib = 0;
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p]!;
      if (!part.added && !part.removed) {
        ia += part.count;
        ib += part.count;
        continue;
      }
      if (part.removed) {
        // A removal directly followed by an addition is a replacement: pair them element by element.
        const next = parts[p + 1];
        const added = next?.added ? next.count : 0;
        const paired = Math.min(part.count, added);
        for (let k = 0; k < paired; k++) walk(x[ia + k]!, y[ib + k]!, indexPath(path, ib + k));
        for (let k = paired; k < part.count; k++) emit(indexPath(path, ia + k), "removed", x[ia + k]);
        for (let k = paired; k < added; k++) emit(indexPath(path, ib + k), "added", undefined, y[ib + k]);
        ia += part.count;
        ib += added;
        if (added) p++;
        continue;
      }
      for (let k = 0; k < part.count; k++) emit(indexPath(path, ib + k), "added", undefined, y[ib + k]);
      ib += part.count;
    }
  };

  walk(a, b, ".");
  return { changes, total };
}
