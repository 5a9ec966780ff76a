// A lossless JSON reader for the structural diff. JSON.parse turns numbers into doubles, so two
// webhook ids such as 1234567890123456789 and 1234567890123456790 would read as equal; here a
// number keeps its source text. Objects keep their keys in order of first appearance (a repeated
// key keeps the last value, as JSON.parse does). Nesting is capped, so the recursion cannot overflow the stack.
// Universal: runs in the compare worker and in node:test.

export class JsonNumber {
  constructor(readonly raw: string) {}
}

export class JsonObject {
  constructor(readonly entries: Map<string, TJsonValue>) {}
}

export type TJsonValue = null | boolean | string | JsonNumber | JsonObject | TJsonValue[];

/** Nesting deeper than this is refused (a stack overflow in the worker would only say "error"). */
export const MAX_JSON_DEPTH = 512;

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses JSON text (RFC 8259; a leading BOM and surrounding whitespace allowed). Throws JsonSyntaxError. */
export function parseJsonLossless(text: string): TJsonValue {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i >= text.length ? "Unexpected end of JSON" : `${what} (found ${JSON.stringify(text[i])})`, i);
  };

  const str = (): string => {
    // text[i] is the opening quote
    const start = ++i;
    let out = "";
    let chunk = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail("Unterminated string");
      if (c === 0x22) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c < 0x20) fail("Control character in string");
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        switch (e) {
          case '"':
          case "\\":
          case "/":
            out += e;
            break;
          case "b":
            out += "\b";
            break;
          case "f":
            out += "\f";
            break;
          case "n":
            out += "\n";
            break;
          case "r":
            out += "\r";
            break;
          case "t":
            out += "\t";
            break;
          case "u": {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Bad \\u escape");
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            i++;
            fail("Bad escape");
        }
        i += 2;
        chunk = i;
        continue;
      }
      i++;
    }
  };

  const value = (depth: number): TJsonValue => {
    if (depth > MAX_JSON_DEPTH) fail(`Nested deeper than ${MAX_JSON_DEPTH} levels`);
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const entries = new Map<string, TJsonValue>();
      ws();
      if (text[i] === "}") {
        i++;
        return new JsonObject(entries);
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("Expected a property name");
        const key = str();
        ws();
        if (text[i] !== ":") fail("Expected ':'");
        i++;
        entries.set(key, value(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return new JsonObject(entries);
        }
        fail("Expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const items: TJsonValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return items;
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return items;
        }
        fail("Expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail("Unexpected character");
    i += m[0].length;
    return new JsonNumber(m[0]);
  };

  const v = value(0);
  ws();
  if (i < text.length) fail("Unexpected data after the JSON value");
  return v;
}

/** Whether two JSON numbers are the same number: integers exactly (any size), others as doubles. */
export function sameNumber(a: JsonNumber, b: JsonNumber): boolean {
  if (a.raw === b.raw) return true;
  const intA = !/[.eE]/.test(a.raw);
  const intB = !/[.eE]/.test(b.raw);
  if (intA && intB) return BigInt(a.raw) === BigInt(b.raw);
  // 1.0 vs 1 and 1e2 vs 100 are the same value; past a double's precision, compare the digits.
  const x = Number(a.raw);
  const y = Number(b.raw);
  if (x !== y) return false;
  return significantDigits(a.raw) <= 15 && significantDigits(b.raw) <= 15;
}

function significantDigits(raw: string): number {
  const mantissa = raw
    .replace(/^-/, "")
    .replace(/[eE].*$/, "")
    .replace(".", "");
  return mantissa.replace(/^0+/, "").replace(/0+$/, "").length;
}

/** Compact JSON text of a value (numbers as written), cut to `max` characters with an ellipsis. */
export function jsonPreview(v: TJsonValue, max = 300): string {
  let out = "";
  const walk = (x: TJsonValue): boolean => {
    if (out.length > max) return false;
    if (x === null) out += "null";
    else if (typeof x === "boolean") out += String(x);
    else if (typeof x === "string") out += JSON.stringify(x.length > max ? x.slice(0, max) : x);
    else if (x instanceof JsonNumber) out += x.raw;
    else if (Array.isArray(x)) {
      out += "[";
      for (let k = 0; k < x.length; k++) {
        if (k) out += ",";
        if (!walk(x[k]!)) return false;
      }
      out += "]";
    } else {
      out += "{";
      let first = true;
      for (const [k, val] of x.entries) {
        if (!first) out += ",";
        first = false;
        out += JSON.stringify(k) + ":";
        if (!walk(val)) return false;
      }
      out += "}";
    }
    return true;
  };
  walk(v);
  return out.length > max ? out.slice(0, max) + "…" : out;
}
