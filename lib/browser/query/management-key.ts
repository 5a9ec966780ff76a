// The management key in the browser. The server keeps only its sha256; this browser keeps the key
// in an httpOnly cookie (set on creation, by a dashboard link, or by adding it on the home page),
// which scripts cannot read. Any tab can ask the server for the dashboard link
// (POST /api/endpoints/:id/dashboard-link, answered from that cookie), so no copy of the key is
// kept in page storage. The only copy a script holds is the one the create answer carried, kept
// in memory until the "save your key" panel is dismissed.

const created = new Map<string, string>();
const listeners = new Set<() => void>();

/** The key POST /api/endpoints just returned, for the dashboard's one-time "save your key" panel. */
export function rememberCreatedKey(endpointId: string, key: string): void {
  created.set(endpointId, key);
  for (const l of listeners) l();
}

export function createdKey(endpointId: string): string | null {
  return created.get(endpointId) ?? null;
}

/** Forgets it (dismissed, replaced or removed), and tells the panel showing it. */
export function forgetCreatedKey(endpointId: string): void {
  if (created.delete(endpointId)) for (const l of listeners) l();
}

/** For useSyncExternalStore: called whenever a created key is remembered or forgotten. */
export function subscribeCreatedKeys(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const KEY = /^[\w.~-]{8,256}$/;

/** `#key=…` as a dashboard link carries it, or null. */
export function keyFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const key = params.get("key");
  return key && KEY.test(key) ? key : null;
}

export type TAccessInput =
  { kind: "link"; endpointId: string; key: string } | { kind: "key"; key: string } | { kind: "invalid"; message: string };

const ENDPOINT_PATH = /^\/endpoints\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

/**
 * What the user pasted into "Add an endpoint": a dashboard link (…/endpoints/<id>#key=…) or a
 * bare management key; anything else gets a sentence saying what it is and what to paste instead.
 */
export function parseAccessInput(text: string): TAccessInput {
  const s = text.trim();
  if (!s) return { kind: "invalid", message: "Paste a management key (hsk_…) or a dashboard link." };
  if (/^https?:\/\//i.test(s)) {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      return { kind: "invalid", message: "That link is not a valid URL: copy the dashboard link again, whole." };
    }
    if (/^\/h\//.test(url.pathname)) {
      return {
        kind: "invalid",
        message: "That is a capture URL: it is public and opens nothing. Paste the endpoint's management key or its dashboard link.",
      };
    }
    if (/^\/s\//.test(url.pathname)) {
      return { kind: "invalid", message: "That is a read-only share link: open it directly in the address bar; it cannot be added here." };
    }
    const id = ENDPOINT_PATH.exec(url.pathname)?.[1];
    if (!id) return { kind: "invalid", message: "That link is not a Hookscope dashboard link (…/endpoints/<id>#key=…)." };
    const key = keyFromFragment(url.hash);
    if (!key) {
      return {
        kind: "invalid",
        message:
          "That dashboard link has no key (the part after #key= is missing, perhaps cut off when it was copied). Copy it again from Dashboard link.",
      };
    }
    return { kind: "link", endpointId: id.toLowerCase(), key };
  }
  if (!KEY.test(s)) {
    return { kind: "invalid", message: "That is not a management key: keys start with hsk_ and contain no spaces. Paste it whole." };
  }
  return { kind: "key", key: s };
}
