// Continuous capture traffic from several concurrent clients, remembering every capture id the
// server acknowledged with a 2xx (from its X-Hookscope-Capture-Id header), so a test can check
// afterwards that none of them was lost. With `ackFile`, each acknowledged id is also appended
// to that file as it arrives: the record survives whatever happens to the server under test.
import fs from "node:fs";

export interface Ack {
  id: string;
  /** performance.now() when the 2xx arrived. */
  at: number;
}

export interface Refusal {
  status: number;
  retryAfter: string | null;
  code: string | null;
  at: number;
}

export interface Load {
  acked: Ack[];
  refusals: Refusal[];
  /** Requests that got no HTTP answer (connection refused or reset). */
  failures: number;
  /** 2xx answers that named no capture (no X-Hookscope-Capture-Id): always a bug. */
  unnamed: string[];
  /** Stops sending and waits for every request in flight to settle. */
  stop(): Promise<void>;
}

/** Sends POST `${target()}/c{client}/{n}` from `clients` loops until stopped. */
export function startLoad(target: () => string, clients: number, opts: { ackFile?: string } = {}): Load {
  const ackFd = opts.ackFile ? fs.openSync(opts.ackFile, "a") : null;
  let stopped = false;
  const load: Load = {
    acked: [],
    refusals: [],
    failures: 0,
    unnamed: [],
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      if (ackFd !== null) fs.closeSync(ackFd);
    },
  };
  const loop = async (client: number) => {
    for (let n = 0; !stopped; n++) {
      let ok = false;
      try {
        const r = await fetch(`${target()}/c${client}/${n}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ client, n }),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await r.text();
        if (r.status >= 200 && r.status < 300) {
          const id = r.headers.get("x-hookscope-capture-id");
          if (!id) load.unnamed.push(`${r.status} ${text}`);
          else {
            load.acked.push({ id, at: performance.now() });
            if (ackFd !== null) fs.writeSync(ackFd, `${id}\n`);
            ok = true;
          }
        } else {
          let code: string | null = null;
          try {
            code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
          } catch {
            code = null;
          }
          load.refusals.push({ status: r.status, retryAfter: r.headers.get("retry-after"), code, at: performance.now() });
        }
      } catch {
        load.failures++;
      }
      // Back off a little after a refusal so a down server is not hammered by a tight loop
      // (this paces the load generator; no test outcome depends on the delay).
      if (!ok) await new Promise((r) => setTimeout(r, 20));
    }
  };
  const loops = Array.from({ length: clients }, (_, i) => loop(i));
  return load;
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
