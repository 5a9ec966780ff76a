// Random ids and JSON for the sample events (sample-events/*.ts): fresh ids every time, in the
// shapes providers use.
import { nodeCrypto } from "../crypto";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function rid(prefix: string, length = 24, alphabet = ALNUM): string {
  const bytes = nodeCrypto().randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
export const hex = (n: number) =>
  nodeCrypto()
    .randomBytes(Math.ceil(n / 2))
    .toString("hex")
    .slice(0, n);
export const digits = (n: number) => rid("", n, "0123456789").replace(/^0/, "1");
export const upper = (prefix: string, n: number) => rid(prefix, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

export const json = (v: unknown, indent?: number) => JSON.stringify(v, null, indent);
