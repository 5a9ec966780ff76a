// JSON as a tree for the body viewer: parsed by hand so numbers keep the digits that were sent
// (JSON.parse rounds 12345678901234567890) and objects keep their key order and repeated keys
// (JSON.parse moves integer-like keys first and keeps the last repeat). Paths are written the
// way jq reads them (`.data.object.amount`, `.items[0]`, `.["odd key"]`). Pure and universal.
import { jsonDepth, PRETTY_MAX, PRETTY_MAX_DEPTH, type TPretty } from "./body";

export type TJsonKind = "object" | "array" | "string" | "number" | "boolean" | "null";

export interface TJsonNode {
  /** Position in document order (0 is the root). */
  id: number;
  /** The member name, the array index, or null for the root. */
  key: string | number | null;
  kind: TJsonKind;
  /** A string's value, a number's digits as sent, "true", "false" or "null"; "" for containers. */
  value: string;
  children: TJsonNode[];
  parent: TJsonNode | null;
  depth: number;
}

export type TJsonTree = { ok: true; root: TJsonNode; nodes: TJsonNode[] } | { ok: false; reason: string };

/** Parses JSON text into a tree, within the same limits as pretty-printing (size and depth). */
export function parseJsonTree(text: string, shownAs = "shown as a tree"): TJsonTree {
  if (text.length > PRETTY_MAX) return { ok: false, reason: `Shown as sent: JSON over ${PRETTY_MAX / 1024 / 1024} MiB is not ${shownAs}.` };
  if (jsonDepth(text) > PRETTY_MAX_DEPTH) {
    return { ok: false, reason: `Shown as sent: JSON nested deeper than ${PRETTY_MAX_DEPTH} levels is not ${shownAs}.` };
  }
  try {
    JSON.parse(text); // the engine's error message names what is wrong and where
  } catch (e) {
    return { ok: false, reason: `Shown as sent: not valid JSON (${e instanceof Error ? e.message : "parse error"}).` };
  }
  const nodes: TJsonNode[] = [];
  let i = 0;
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  const str = (): string => {
    const start = i; // at the opening quote
    let escaped = false;
    i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i += 2;
      } else if (c === 0x22) break;
      else i++;
    }
    i++;
    return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
  };
  const value = (key: string | number | null, parent: TJsonNode | null, depth: number): TJsonNode => {
    ws();
    const node: TJsonNode = { id: nodes.length, key, kind: "null", value: "", children: [], parent, depth };
    nodes.push(node);
    const c = text[i];
    if (c === "{") {
      node.kind = "object";
      i++;
      ws();
      if (text[i] === "}") i++;
      else
        for (;;) {
          ws();
          const k = str();
          ws();
          i++; // ':'
          node.children.push(value(k, node, depth + 1));
          ws();
          if (text[i++] === "}") break;
        }
    } else if (c === "[") {
      node.kind = "array";
      i++;
      ws();
      if (text[i] === "]") i++;
      else
        for (;;) {
          node.children.push(value(node.children.length, node, depth + 1));
          ws();
          if (text[i++] === "]") break;
        }
    } else if (c === '"') {
      node.kind = "string";
      node.value = str();
    } else if (c === "t" || c === "f" || c === "n") {
      const word = c === "t" ? "true" : c === "f" ? "false" : "null";
      node.kind = c === "n" ? "null" : "boolean";
      node.value = word;
      i += word.length;
    } else {
      const start = i;
      while (i < text.length && /[-+0-9.eE]/.test(text[i]!)) i++;
      node.kind = "number";
      node.value = text.slice(start, i);
    }
    return node;
  };
  const root = value(null, null, 0);
  return { ok: true, root, nodes };
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The node's path as jq writes it: `.data.object.amount`, `.items[0]`, `.["odd key"]`; the root is `.`. */
export function jsonPath(node: TJsonNode): string {
  const parts: string[] = [];
  for (let n: TJsonNode | null = node; n && n.key !== null; n = n.parent) {
    parts.push(typeof n.key === "number" ? `[${n.key}]` : IDENT.test(n.key) ? `.${n.key}` : `[${JSON.stringify(n.key)}]`);
  }
  parts.reverse();
  const path = parts.join("");
  return path.startsWith(".") ? path : `.${path}`;
}

/**
 * JSON pretty-printed with two spaces from the tree, so the Formatted view shows what was sent:
 * numbers with their digits (no rounding), keys in their order, repeated keys kept. Or why it was left as sent.
 */
export function prettyJson(text: string): TPretty {
  const tree = parseJsonTree(text, "pretty-printed");
  return tree.ok ? { ok: true, text: toJson(tree.root, "") } : tree;
}

/** The node as JSON text (numbers as sent), indented by two spaces; a string is its text without quotes. */
export function jsonValueText(node: TJsonNode): string {
  return node.kind === "string" ? node.value : toJson(node, "");
}

function toJson(node: TJsonNode, indent: string): string {
  const inner = `${indent}  `;
  switch (node.kind) {
    case "object":
      return node.children.length === 0
        ? "{}"
        : `{\n${node.children.map((c) => `${inner}${JSON.stringify(c.key)}: ${toJson(c, inner)}`).join(",\n")}\n${indent}}`;
    case "array":
      return node.children.length === 0 ? "[]" : `[\n${node.children.map((c) => `${inner}${toJson(c, inner)}`).join(",\n")}\n${indent}]`;
    case "string":
      return JSON.stringify(node.value);
    default:
      return node.value;
  }
}

export interface TJsonMatch {
  node: TJsonNode;
  part: "key" | "value";
}

/** Keys and scalar values containing `query` (case-insensitive), in document order. */
export function findInJsonTree(nodes: readonly TJsonNode[], query: string, max = 10_000): TJsonMatch[] {
  const q = query.toLowerCase();
  const out: TJsonMatch[] = [];
  if (!q) return out;
  for (const n of nodes) {
    if (out.length >= max) break;
    if (typeof n.key === "string" && n.key.toLowerCase().includes(q)) out.push({ node: n, part: "key" });
    if (n.kind !== "object" && n.kind !== "array" && n.value.toLowerCase().includes(q)) out.push({ node: n, part: "value" });
  }
  return out;
}

/**
 * Which containers start unfolded: every level down to the deepest one that keeps the rows shown
 * within `budget` (a 3 KB event opens whole; a 1 MiB array of records opens one level).
 */
export function openToBudget(nodes: readonly TJsonNode[], budget: number): Set<number> {
  const perDepth: number[] = [];
  for (const n of nodes) perDepth[n.depth] = (perDepth[n.depth] ?? 0) + 1;
  let shown = perDepth[0] ?? 0;
  let maxDepth = 0;
  // Unfolding every container at depth d shows the nodes at depth d + 1.
  while (maxDepth + 1 < perDepth.length && shown + perDepth[maxDepth + 1]! <= budget) shown += perDepth[++maxDepth]!;
  const open = new Set<number>();
  for (const n of nodes) if (n.children.length > 0 && n.depth < Math.max(maxDepth, 1)) open.add(n.id);
  return open;
}
