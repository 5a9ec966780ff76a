// Linux /proc readers for the benchmark: CPU time and memory of a process, and of a Postgres
// postmaster with its backends. Values are null where /proc is missing (not Linux).
import { execFileSync } from "node:child_process";
import fs from "node:fs";

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface Stat {
  ppid: number;
  /** user + system CPU time, milliseconds */
  cpuMs: number;
  /** the same for children that exited and were waited for */
  childrenCpuMs: number;
}

function readStat(pid: number): Stat | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces; fields after it are fixed.
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    const ms = (a: number, b: number) => ((Number(f[a]) + Number(f[b])) * 1000) / clockTicks();
    return { ppid: Number(f[1]), cpuMs: ms(11, 12), childrenCpuMs: ms(13, 14) };
  } catch {
    return null;
  }
}

/** CPU milliseconds (user + system) a process has used so far. */
export function cpuMs(pid: number): number | null {
  return readStat(pid)?.cpuMs ?? null;
}

/**
 * CPU milliseconds of a process and its children (a postmaster and its backends): live children
 * count directly, exited ones through the parent's counters once it has reaped them.
 */
export function treeCpuMs(pid: number): number | null {
  const root = readStat(pid);
  if (!root) return null;
  let total = root.cpuMs + root.childrenCpuMs;
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st && st.ppid === pid) total += st.cpuMs;
  }
  return total;
}

/** VmRSS and VmHWM (peak resident set) in MiB. */
export function memoryMiB(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(s)?.[1] ?? NaN);
    return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

/** Samples a process's VmRSS every `everyMs` until stopped; returns the highest seen (MiB). */
export function sampleRss(pid: number, everyMs = 200): { stop(): number | null } {
  let peak: number | null = null;
  const take = () => {
    const m = memoryMiB(pid);
    if (m && (peak === null || m.rss > peak)) peak = m.rss;
  };
  take();
  const t = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(t);
      take();
      return peak;
    },
  };
}
