// Where `hookscope forward` remembers the last capture it handed to a target, so a restarted CLI
// resumes after it without --from. One small JSON file per (server, endpoint, target) under
// $HOOKSCOPE_STATE_DIR, else $XDG_STATE_HOME/hookscope, else ~/.hookscope; written (temp file +
// rename, so a crash never leaves half a file) after every capture the target answered.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export interface ForwardCursor {
  origin: string;
  endpointId: string;
  to: string;
}

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOOKSCOPE_STATE_DIR) return env.HOOKSCOPE_STATE_DIR;
  if (env.XDG_STATE_HOME) return path.join(env.XDG_STATE_HOME, "hookscope");
  return path.join(os.homedir(), ".hookscope");
}

/** The file that holds one forward's cursor. */
export function cursorFile(c: ForwardCursor, dir = stateDir()): string {
  const id = crypto.createHash("sha256").update(`${c.origin}\n${c.endpointId}\n${c.to}`).digest("hex").slice(0, 24);
  return path.join(dir, "forward", `${id}.json`);
}

/** The seq of the last capture handed to this target, or null when none was (or the file is unreadable). */
export async function readCursor(file: string): Promise<number | null> {
  try {
    const { seq } = JSON.parse(await fs.readFile(file, "utf8")) as { seq?: unknown };
    return typeof seq === "number" && Number.isSafeInteger(seq) && seq >= 0 ? seq : null;
  } catch {
    return null;
  }
}

export async function writeCursor(file: string, c: ForwardCursor, seq: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify({ ...c, seq, updatedAt: new Date().toISOString() }) + "\n");
  await fs.rename(tmp, file);
}
