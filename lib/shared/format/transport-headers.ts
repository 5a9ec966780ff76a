// Request headers that describe the connection and the proxies on the way (hop-by-hop, framing,
// fetch metadata, forwarding) rather than what the sender meant to say: the capture detail folds
// them into one group so the headers a webhook author set are read first.

const NAMES = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "accept-encoding",
  "keep-alive",
  "te",
  "upgrade",
  "upgrade-insecure-requests",
  "proxy-connection",
  "via",
  "forwarded",
  "cdn-loop",
  "x-real-ip",
  "true-client-ip",
  "cf-connecting-ip",
  "cf-ipcountry",
  "cf-ray",
  "cf-visitor",
  "x-amzn-trace-id",
  "x-request-start",
  "priority",
  "dnt",
]);
const PREFIXES = ["sec-fetch-", "sec-ch-", "x-forwarded-"];

/** Whether a request header is about transport (folded by default in the detail). */
export function isTransportHeader(name: string): boolean {
  const n = name.toLowerCase();
  return NAMES.has(n) || PREFIXES.some((p) => n.startsWith(p));
}
