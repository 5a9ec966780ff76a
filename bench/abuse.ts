// `npm run bench:abuse`: one client address sending far over the capture rate limit to one
// endpoint must get 429 + Retry-After while a well-behaved sender on another endpoint keeps its
// latency: its p99 under abuse stays within 2x of its p99 with the server idle.
//
// The real server (server.ts, Next build in NEXT_DIST_DIR, default .next-bench, built when
// missing) runs behind "one trusted proxy" (TRUST_PROXY=1), so X-Forwarded-For gives the abuser
// and the quiet sender different addresses on one machine; the rate limits are the defaults of
// lib/server/env.ts. The quiet sender is open-loop: requests leave on a fixed schedule whether or not
// earlier ones have returned, so a stalled server shows up as latency instead of fewer requests.
// Exits 1 when the check fails. Results go to bench/results/abuse-<time>.{json,md}.
//
//   npm run bench:abuse -- [--seconds 10] [--rounds 3] [--abuse-rate 4000] [--abuse-connections 64]
//                          [--probe-rate 50] [--rebuild]
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { createEndpoint, startApp } from "../test/support/app";
import { startTestPostgres } from "./support/postgres";
import { cpuMs } from "./support/proc";
import { nextBuild } from "./support/stack";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    "abuse-rate": { type: "string", default: "4000" },
    "abuse-connections": { type: "string", default: "64" },
    "probe-rate": { type: "string", default: "50" },
    rounds: { type: "string", default: "3" },
    rebuild: { type: "boolean", default: false },
  },
});
const SECONDS = Number(args.seconds);
const ABUSE_RATE = Number(args["abuse-rate"]);
const ABUSE_CONNECTIONS = Number(args["abuse-connections"]);
const PROBE_RATE = Number(args["probe-rate"]);
const ROUNDS = Math.max(1, Number(args.rounds));
const DIST_DIR = process.env.NEXT_DIST_DIR ?? ".next-bench";
const MAX_RATIO = 2;

/** lib/server/env.ts defaults (test/support/app.ts turns the limits off for other tests and benches). */
const DEFAULT_LIMITS = {
  RATE_LIMIT_ENDPOINT_PER_SECOND: "100",
  RATE_LIMIT_ENDPOINT_BURST: "500",
  RATE_LIMIT_IP_PER_SECOND: "200",
  RATE_LIMIT_IP_BURST: "1000",
};
const ABUSER = "203.0.113.66";
const QUIET = "198.51.100.10";

function ensureBuilt(): void {
  if (!args.rebuild && fs.existsSync(path.join(DIST_DIR, "BUILD_ID"))) return;
  console.log(`Building the Next app into ${DIST_DIR} (first run only)…`);
  nextBuild(DIST_DIR, { quiet: true });
}

interface Probe {
  sent: number;
  ok: number;
  other: Record<string, number>;
  latenciesMs: number[];
}

/** Sends PROBE_RATE captures per second to `url` for `seconds`, on schedule; latency of each. */
async function probe(url: string, seconds: number): Promise<Probe> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const out: Probe = { sent: 0, ok: 0, other: {}, latenciesMs: [] };
  const target = new URL(url);
  const body = JSON.stringify({ type: "invoice.paid", id: "evt_quiet" });
  const one = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      out.sent++;
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-forwarded-for": QUIET },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            out.latenciesMs.push(performance.now() - started);
            if (res.statusCode === 200) out.ok++;
            else out.other[String(res.statusCode)] = (out.other[String(res.statusCode)] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on("error", (e) => {
        out.other[e.message] = (out.other[e.message] ?? 0) + 1;
        resolve();
      });
      req.end(body);
    });
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  const total = Math.round(seconds * PROBE_RATE);
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / PROBE_RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(one());
  }
  await Promise.all(inFlight);
  agent.destroy();
  return out;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/** Floods `url` as the abuser, from a child process, until stopped; stop() gives req/s answered. */
function startAbuser(url: string, statuses: Record<string, number>): { stop(): Promise<number> } {
  // Niced: the load generator's own CPU (sending is dearer than refusing) should not be what slows
  // the quiet sender on a small machine; the server still gets every request it manages to send.
  const child = spawn(
    "nice",
    [
      "-n",
      "10",
      process.execPath,
      "--import",
      "tsx",
      "bench/support/flood.ts",
      url,
      String(ABUSE_RATE),
      String(ABUSE_CONNECTIONS),
      `x-forwarded-for:${ABUSER}`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    async stop() {
      child.kill("SIGTERM");
      await exited;
      const r = JSON.parse(out.trim()) as { seconds: number; statuses: Record<string, number> };
      let answered = 0;
      for (const [k, v] of Object.entries(r.statuses)) {
        statuses[k] = (statuses[k] ?? 0) + v;
        answered += v;
      }
      return answered / r.seconds;
    },
  };
}

async function main(): Promise<void> {
  ensureBuilt();
  const pg = await startTestPostgres();
  const app = await startApp({ databaseUrl: pg.url, env: { NEXT_DIST_DIR: DIST_DIR, TRUST_PROXY: "1", ...DEFAULT_LIMITS } });
  try {
    const abused = await createEndpoint(app.baseUrl, { name: "abused" });
    const quiet = await createEndpoint(app.baseUrl, { name: "quiet" });
    const quietUrl = `${app.baseUrl}/h/${quiet.slug}/events`;

    // Warm up both paths (JIT, pool, slug cache). Then alternate: the quiet sender alone, and the
    // quiet sender while the abuser floods; medians over the rounds damp a noisy shared machine.
    await probe(quietUrl, 2);
    const rounds: { idle: Probe; idleCpuMs: number; abused: Probe; abusedCpuMs: number; abuserRps: number }[] = [];
    const statuses: Record<string, number> = {};
    let told: Response | null = null;
    let toldBody = "";
    for (let round = 0; round < ROUNDS; round++) {
      const c0 = cpuMs(app.pid) ?? NaN;
      const idle = await probe(quietUrl, SECONDS);
      const c1 = cpuMs(app.pid) ?? NaN;
      const flood = startAbuser(`${app.baseUrl}/h/${abused.slug}/flood`, statuses);
      await new Promise((r) => setTimeout(r, 1000)); // the abuser uses up its burst first
      const c2 = cpuMs(app.pid) ?? NaN;
      const underAbuse = await probe(quietUrl, SECONDS);
      const c3 = cpuMs(app.pid) ?? NaN;
      // What the abuser is told, in full, while it is over the limit (a token that just refilled
      // may let one through: ask a few times).
      for (let i = 0; i < 20; i++) {
        told = await fetch(`${app.baseUrl}/h/${abused.slug}/flood`, { method: "POST", headers: { "x-forwarded-for": ABUSER }, body: "x" });
        toldBody = await told.text();
        if (told.status === 429) break;
      }
      const abuserRps = await flood.stop();
      rounds.push({ idle, idleCpuMs: c1 - c0, abused: underAbuse, abusedCpuMs: c3 - c2, abuserRps });
    }
    const median = (xs: number[]) => percentile(xs, 50);
    const idleP99 = median(rounds.map((r) => percentile(r.idle.latenciesMs, 99)));
    const abuseP99 = median(rounds.map((r) => percentile(r.abused.latenciesMs, 99)));
    const ratio = abuseP99 / idleP99;
    if (!told) throw new Error("no rounds ran");
    const abuserTotal = Object.values(statuses).reduce((a, b) => a + b, 0);
    const limited = statuses["429"] ?? 0;
    const all = (pick: (r: (typeof rounds)[number]) => Probe) => rounds.every((r) => pick(r).ok === pick(r).sent);
    const checks = {
      abuserGets429: told.status === 429 && limited > 0,
      retryAfter: /^[1-9]\d*$/.test(told.headers.get("retry-after") ?? ""),
      quietAllAccepted: all((r) => r.idle) && all((r) => r.abused),
      p99Within2x: ratio <= MAX_RATIO,
    };
    const result = {
      seconds: SECONDS,
      rounds: ROUNDS,
      probeRate: PROBE_RATE,
      abuse: {
        targetRate: ABUSE_RATE,
        connections: ABUSE_CONNECTIONS,
        rps: median(rounds.map((r) => r.abuserRps)),
        statuses,
        limitedShare: limited / abuserTotal,
      },
      told: { status: told.status, retryAfter: told.headers.get("retry-after"), body: toldBody },
      perRound: rounds.map((r) => ({
        idle: {
          p50: percentile(r.idle.latenciesMs, 50),
          p99: percentile(r.idle.latenciesMs, 99),
          ok: r.idle.ok,
          sent: r.idle.sent,
          serverCpuMs: r.idleCpuMs,
        },
        underAbuse: {
          p50: percentile(r.abused.latenciesMs, 50),
          p99: percentile(r.abused.latenciesMs, 99),
          ok: r.abused.ok,
          sent: r.abused.sent,
          other: r.abused.other,
          serverCpuMs: r.abusedCpuMs,
          abuserRps: r.abuserRps,
        },
      })),
      idleP99,
      abuseP99,
      ratio,
      checks,
      pass: Object.values(checks).every(Boolean),
    };
    const lines = [
      `# bench:abuse (${new Date().toISOString()})`,
      "",
      `Abuser ${ABUSER} → one endpoint: about ${result.abuse.rps.toFixed(0)} req/s (${ABUSE_CONNECTIONS} connections, ` +
        `${ABUSE_RATE} req/s asked), ${((100 * limited) / Math.max(1, abuserTotal)).toFixed(1)}% answered 429; ` +
        `a request sent while over the limit: ${told.status}, Retry-After ${told.headers.get("retry-after")}.`,
      `Quiet sender ${QUIET} → another endpoint: ${PROBE_RATE} req/s, open-loop, ${SECONDS} s per phase, ${ROUNDS} rounds.`,
      "",
      "| round | quiet sender | p50 | p99 | accepted | server CPU | abuser req/s |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...result.perRound.flatMap((r, i) => [
        `| ${i + 1} | idle | ${fmt(r.idle.p50)} | ${fmt(r.idle.p99)} | ${r.idle.ok}/${r.idle.sent} | ${r.idle.serverCpuMs.toFixed(0)} ms | |`,
        `| ${i + 1} | under abuse | ${fmt(r.underAbuse.p50)} | ${fmt(r.underAbuse.p99)} | ${r.underAbuse.ok}/${r.underAbuse.sent} | ` +
          `${r.underAbuse.serverCpuMs.toFixed(0)} ms | ${r.underAbuse.abuserRps.toFixed(0)} |`,
      ]),
      "",
      `idle p99 (median of rounds): ${fmt(idleP99)}; p99 under abuse: ${fmt(abuseP99)}; ratio ${ratio.toFixed(2)} (limit ${MAX_RATIO}) → ${result.pass ? "PASS" : "FAIL"}`,
      ...Object.entries(checks).map(([k, v]) => `- ${k}: ${v ? "ok" : "FAILED"}`),
    ];
    console.log(lines.join("\n"));
    const dir = path.join("bench", "results");
    fs.mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    fs.writeFileSync(path.join(dir, `abuse-${stamp}.json`), JSON.stringify(result, null, 2));
    fs.writeFileSync(path.join(dir, `abuse-${stamp}.md`), lines.join("\n") + "\n");
    console.log(`Wrote bench/results/abuse-${stamp}.{json,md}`);
    process.exitCode = result.pass ? 0 : 1;
  } finally {
    await app.stop();
    await pg.stop();
  }
}

await main();
