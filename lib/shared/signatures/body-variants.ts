// Other forms of a body that a sender (or something in between) may have signed instead of the
// bytes that arrived: used only to explain an invalid signature, never to accept one.
import { jsonDepth } from "../format/body";
import type { TSignatureCause } from "../validation/signatures";

export interface BodyVariant {
  body: Buffer;
  cause: Extract<TSignatureCause, "body_reserialized" | "body_trimmed">;
  /** What the variant is, for "the signature matches the body …". */
  description: string;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * JSON nested deeper than this gets no re-serialized variants: JSON.stringify and the walks below
 * recurse (V8's JSON.stringify overflows near 5,000 levels), and no sender signs such a body.
 */
export const VARIANT_MAX_DEPTH = 256;

/** Python's json.dumps with its defaults: ", " and ": " separators, non-ASCII escaped. */
function pythonDumps(v: unknown): string {
  if (v === null || typeof v === "boolean" || typeof v === "number") return JSON.stringify(v);
  if (typeof v === "string")
    return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (Array.isArray(v)) return `[${v.map(pythonDumps).join(", ")}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  return `{${entries.map(([k, x]) => `${pythonDumps(k)}: ${pythonDumps(x)}`).join(", ")}}`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** Variants of a UTF-8 body, each different from it; none for binary bodies. */
export function bodyVariants(body: Buffer): BodyVariant[] {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return [];
  }
  const out: BodyVariant[] = [];
  const seen = new Set<string>([text]);
  const add = (t: string, cause: BodyVariant["cause"], description: string) => {
    if (seen.has(t)) return;
    seen.add(t);
    out.push({ body: Buffer.from(t, "utf8"), cause, description });
  };

  // Whitespace first: the smallest change that explains a mismatch is the likeliest.
  add(text.trim(), "body_trimmed", "without its leading and trailing whitespace");
  add(`${text}\n`, "body_trimmed", "with a newline at the end");
  if (text.includes("\r\n")) add(text.replace(/\r\n/g, "\n"), "body_trimmed", "with LF line endings instead of CRLF");
  else if (text.includes("\n")) add(text.replace(/\n/g, "\r\n"), "body_trimmed", "with CRLF line endings instead of LF");

  let parsed: unknown;
  let isJson = false;
  if (jsonDepth(text, VARIANT_MAX_DEPTH) > VARIANT_MAX_DEPTH) return out;
  try {
    parsed = JSON.parse(text);
    isJson = true;
  } catch {
    isJson = false;
  }
  if (isJson) {
    add(JSON.stringify(parsed), "body_reserialized", "re-serialized as compact JSON (JSON.stringify(JSON.parse(body)))");
    add(JSON.stringify(parsed, null, 2), "body_reserialized", "re-serialized as JSON indented with 2 spaces");
    add(JSON.stringify(parsed, null, 4), "body_reserialized", "re-serialized as JSON indented with 4 spaces");
    add(JSON.stringify(sortKeys(parsed)), "body_reserialized", "re-serialized as compact JSON with sorted keys");
    add(
      pythonDumps(parsed),
      "body_reserialized",
      're-serialized the way Python\'s json.dumps writes it (", " and ": " separators, non-ASCII escaped)',
    );
  }
  return out;
}
