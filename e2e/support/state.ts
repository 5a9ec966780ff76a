// What global setup started, for global teardown (a separate module load in the same runner),
// and the settings every app process of the e2e run gets.

/**
 * Settings for every server on the e2e database: the main one and the extra replicas some specs
 * start. Resend and forward specs send to a local test server on 127.0.0.1, which the SSRF guard
 * refuses unless private targets are allowed (as a self-hoster forwarding inside their network).
 * A replica without this would claim forward deliveries from the shared outbox and refuse them.
 */
export const E2E_APP_ENV: Record<string, string> = { ALLOW_PRIVATE_TARGETS: "true" };
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
