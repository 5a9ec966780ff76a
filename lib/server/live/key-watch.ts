// Streams opened with a management key (live events, the smee channel) end once that key no
// longer opens the endpoint: replaced (POST /api/endpoints/:id/key) or the endpoint deleted. A
// replaced key is the remedy for a leaked one, and a smee URL or a stream left open elsewhere
// would otherwise read on for as long as it stays connected. Every open stream of this process is
// re-checked together, in one query per KEY_RECHECK_MS, however many are open.
import "server-only";
import { getKeyHashesByIds } from "@/lib/server/db/endpoints";

/** How long a stream may outlive its key. */
export const KEY_RECHECK_MS = 5_000;

interface Watch {
  endpointId: string;
  keyHash: string;
  end: () => void;
}

const watches = new Set<Watch>();
let timer: NodeJS.Timeout | null = null;
let checking = false;

/**
 * Watches a stream's key: `signal` aborts once `keyHash` is no longer the endpoint's key. The
 * watch ends with the stream (`open` aborts), with the key, or by `stop()`: call it when the
 * stream could not be opened, or the watch would outlive a request that never streamed.
 */
export function watchKey(endpointId: string, keyHash: string, open: AbortSignal): { signal: AbortSignal; stop: () => void } {
  const ended = new AbortController();
  if (open.aborted) return { signal: ended.signal, stop: () => {} };
  const watch: Watch = { endpointId, keyHash, end: () => ended.abort() };
  const forget = () => {
    watches.delete(watch);
    open.removeEventListener("abort", forget);
    if (watches.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
  open.addEventListener("abort", forget, { once: true });
  ended.signal.addEventListener("abort", forget, { once: true });
  watches.add(watch);
  if (!timer) {
    timer = setInterval(() => void check(), KEY_RECHECK_MS);
    timer.unref();
  }
  return { signal: ended.signal, stop: forget };
}

async function check(): Promise<void> {
  if (checking || watches.size === 0) return;
  checking = true;
  try {
    const open = [...watches];
    const current = await getKeyHashesByIds([...new Set(open.map((w) => w.endpointId))]);
    for (const w of open) if (current.get(w.endpointId) !== w.keyHash) w.end();
  } catch {
    // The database is unreachable: streams go on, and the next check tries again.
  } finally {
    checking = false;
  }
}
