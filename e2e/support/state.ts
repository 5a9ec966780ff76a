// What global setup started, for global teardown (a separate module load in the same runner).
export interface TE2EState {
  serverPid: number;
  postmasterPid: number;
  pgDataDir: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals `pid` and waits until it is gone; after `timeoutMs` sends `escalate` (then SIGKILL). */
export async function stopPid(pid: number, signal: NodeJS.Signals, timeoutMs: number, escalate: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (!pid || !alive(pid)) return;
  process.kill(pid, signal);
  for (const [sig, wait] of [
    [escalate, timeoutMs],
    ["SIGKILL", 5_000],
  ] as const) {
    const deadline = Date.now() + wait;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!alive(pid)) return;
    process.kill(pid, sig);
  }
}
