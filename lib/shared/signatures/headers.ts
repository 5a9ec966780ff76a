// Header lookups over the stored [name, value][] list (original case, order and repeats).

export type HeaderPairs = readonly (readonly [string, string])[];

export interface FoundHeader {
  /** The name as it arrived. */
  name: string;
  value: string;
  /** How many times the header arrived. */
  count: number;
}

/** The first header of that name (case-insensitive), with how often it appeared. */
export function findHeader(headers: HeaderPairs, name: string): FoundHeader | null {
  const lower = name.toLowerCase();
  let found: FoundHeader | null = null;
  for (const [n, v] of headers) {
    if (n.toLowerCase() !== lower) continue;
    if (found) found.count++;
    else found = { name: n, value: v, count: 1 };
  }
  return found;
}

export function hasHeader(headers: HeaderPairs, name: string): boolean {
  return findHeader(headers, name) !== null;
}

/** The media type of Content-Type, lower-cased, without parameters ("" when absent). */
export function mediaType(headers: HeaderPairs): string {
  const ct = findHeader(headers, "content-type")?.value ?? "";
  return ct.split(";")[0]!.trim().toLowerCase();
}
