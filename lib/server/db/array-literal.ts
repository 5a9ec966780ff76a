// Postgres array literals for the group commit's columns, built in one join instead of pg's
// element by element (pg quotes and escapes every element, then concatenates: that was 12% of
// the capture path's allocations, 4.4 KB per capture; docs/benchmarks.md).
import "server-only";

/** What one element of a column may be: null and undefined are NULL, as pg sends them. */
export type ArrayElement = string | number | boolean | null | undefined;

/**
 * Needs no quotes in an array literal: not empty, no space, comma, brace, quote or backslash
 * (array_in's delimiters and escapes). A bare NULL, in any case, is the null element: quoted.
 */
const BARE = /^[\w.:/+@=%~-]+$/;

function bare(v: ArrayElement): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (typeof v === "boolean") return true;
  return typeof v === "string" && BARE.test(v) && !(v.length === 4 && v.toUpperCase() === "NULL");
}

function element(v: ArrayElement): string {
  if (v === null || v === undefined) return "NULL";
  if (bare(v)) return String(v);
  const s = String(v);
  return `"${s.includes("\\") || s.includes('"') ? s.replace(/["\\]/g, "\\$&") : s}"`;
}

/**
 * The literal Postgres reads as this one-dimensional array (`$1::text[]`, `::int[]`, `::uuid[]`…).
 * Strings are sent as they are (Postgres casts each to the column's type); numbers and booleans
 * in their JavaScript text, as pg writes them.
 */
export function arrayLiteral(values: readonly ArrayElement[]): string {
  for (let i = 0; i < values.length; i++) if (!bare(values[i])) return `{${values.map(element).join(",")}}`;
  return `{${values.join(",")}}`;
}
