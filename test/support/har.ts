// A structural check of a HAR 1.2 document, written from the spec
// (http://www.softwareishard.com/blog/har-12-spec/): every required object and field with its
// type, optional fields typed when present, custom fields only with a leading "_". Returns the
// problems found (empty when the document is valid), each with its JSON path.

type Check = (v: unknown, at: string, out: string[]) => void;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const str: Check = (v, at, out) => void (typeof v !== "string" && out.push(`${at}: expected a string`));
const num: Check = (v, at, out) => void ((typeof v !== "number" || !Number.isFinite(v)) && out.push(`${at}: expected a number`));
const int: Check = (v, at, out) => void (!Number.isInteger(v) && out.push(`${at}: expected an integer`));
const nonNeg: Check = (v, at, out) => void ((typeof v !== "number" || !(v >= 0)) && out.push(`${at}: expected a number >= 0`));
/** -1 or more (HAR's "not available"). */
const sizeOrMinus1: Check = (v, at, out) =>
  void ((!Number.isInteger(v) || (v as number) < -1) && out.push(`${at}: expected an integer >= -1`));
const iso: Check = (v, at, out) => {
  str(v, at, out);
  if (typeof v === "string" && (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) || Number.isNaN(Date.parse(v))))
    out.push(`${at}: expected an ISO 8601 date-time, got ${v}`);
};

function obj(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (v, at, out) => {
    if (!isObj(v)) return void out.push(`${at}: expected an object`);
    for (const [k, check] of Object.entries(required)) {
      if (!(k in v)) out.push(`${at}.${k}: required`);
      else check(v[k], `${at}.${k}`, out);
    }
    for (const [k, check] of Object.entries(optional)) if (k in v && v[k] !== undefined) check(v[k], `${at}.${k}`, out);
    for (const k of Object.keys(v)) {
      if (!(k in required) && !(k in optional) && !k.startsWith("_"))
        out.push(`${at}.${k}: not a HAR 1.2 field (custom fields start with "_")`);
    }
  };
}

function arr(item: Check): Check {
  return (v, at, out) => {
    if (!Array.isArray(v)) return void out.push(`${at}: expected an array`);
    v.forEach((x, i) => item(x, `${at}[${i}]`, out));
  };
}

const comment = { comment: str };
const nameValue = obj({ name: str, value: str }, comment);
const cookie = obj({ name: str, value: str }, { path: str, domain: str, expires: iso, httpOnly: bool(), secure: bool(), ...comment });
function bool(): Check {
  return (v, at, out) => void (typeof v !== "boolean" && out.push(`${at}: expected a boolean`));
}

const postData = obj(
  { mimeType: str },
  { params: arr(obj({ name: str }, { value: str, fileName: str, contentType: str, ...comment })), text: str, ...comment },
);
const request = obj(
  {
    method: str,
    url: str,
    httpVersion: str,
    cookies: arr(cookie),
    headers: arr(nameValue),
    queryString: arr(nameValue),
    headersSize: sizeOrMinus1,
    bodySize: sizeOrMinus1,
  },
  { postData, ...comment },
);
const content = obj({ size: int, mimeType: str }, { compression: int, text: str, encoding: str, ...comment });
const response = obj(
  {
    status: int,
    statusText: str,
    httpVersion: str,
    cookies: arr(cookie),
    headers: arr(nameValue),
    content,
    redirectURL: str,
    headersSize: sizeOrMinus1,
    bodySize: sizeOrMinus1,
  },
  comment,
);
const cacheEntry = obj({ lastAccess: iso, eTag: str, hitCount: int }, { expires: iso, ...comment });
const cache = obj({}, { beforeRequest: cacheEntry, afterRequest: cacheEntry, ...comment });
const optionalTiming: Check = (v, at, out) =>
  void ((typeof v !== "number" || !(v >= 0 || v === -1)) && out.push(`${at}: expected -1 or a number >= 0`));
const timings = obj(
  { send: nonNeg, wait: nonNeg, receive: nonNeg },
  { blocked: optionalTiming, dns: optionalTiming, connect: optionalTiming, ssl: optionalTiming, ...comment },
);
const entry = obj(
  { startedDateTime: iso, time: nonNeg, request, response, cache, timings },
  { pageref: str, serverIPAddress: str, connection: str, ...comment },
);
const page = obj(
  { startedDateTime: iso, id: str, title: str, pageTimings: obj({}, { onContentLoad: num, onLoad: num, ...comment }) },
  comment,
);
const creator = obj({ name: str, version: str }, comment);
const log = obj({ version: str, creator, entries: arr(entry) }, { browser: creator, pages: arr(page), ...comment });
const har = obj({ log });

export function harProblems(doc: unknown): string[] {
  const out: string[] = [];
  har(doc, "$", out);
  if (isObj(doc) && isObj(doc.log) && doc.log.version !== "1.2") out.push(`$.log.version: expected "1.2"`);
  // An entry's total time is the sum of its timings (those not -1).
  if (isObj(doc) && isObj(doc.log) && Array.isArray(doc.log.entries)) {
    doc.log.entries.forEach((e: unknown, i) => {
      if (!isObj(e) || !isObj(e.timings) || typeof e.time !== "number") return;
      const sum = Object.entries(e.timings)
        .filter(([k, v]) => k !== "comment" && typeof v === "number" && v !== -1)
        .reduce((a, [, v]) => a + (v as number), 0);
      if (Math.abs(sum - e.time) > 0.001) out.push(`$.log.entries[${i}].time: ${e.time} is not the sum of its timings (${sum})`);
    });
  }
  return out;
}
