// The sections of `npm run bench`'s report (bench/all.ts): each benchmark's JSON figures as a
// markdown table, and the targets from the issues they meet or miss.

/** One benchmark step as bench/all.ts ran it. */
export interface StepResult {
  name: string;
  status: "ok" | "failed" | "skipped";
  note?: string;
  seconds: number;
  json: unknown;
  /** The last lines the step printed (kept for steps whose JSON shape this report does not know). */
  tail: string;
}

export type Json = Record<string, unknown>;
const f = (v: unknown, d = 1) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(d) : "–");
const pct = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? `${(v * 100).toFixed(0)}%` : "–");
export const verdict = (met: boolean | null | undefined) =>
  met === null || met === undefined ? "not measured" : met ? "met" : "**not met**";

export interface Target {
  goal: string;
  source: string;
  value: string;
  met: boolean | null;
}

export function captureSection(j: Json, targets: Target[]): string[] {
  const runs = j.runs as {
    target: string;
    bodyBytes: number;
    load: { connections: number; rps: number; latencyMs: { p50: number; p99: number }; errors: number; non2xx: number };
    rowsMatch2xx: boolean;
    acknowledgedStored: boolean;
    peakRssMiB: number | null;
  }[];
  const ratios = j.ratios as {
    bodyBytes: number;
    connections: number;
    ratio: number | null;
    cpuRatio: number | null;
    minimalRatio?: number | null;
    minimalCpuRatio?: number | null;
  }[];
  const t = j.targets as {
    throughput: { goal: string; value: number; met: boolean };
    minimal?: { goal: string; value: number; met: boolean };
    p99: { goal: string; value: number | null; met: boolean | null };
  };
  targets.push(
    { goal: t.throughput.goal, source: "issue 1 (bench:capture)", value: pct(t.throughput.value), met: t.throughput.met },
    { goal: t.p99.goal, source: "issue 1 (bench:capture)", value: `${f(t.p99.value, 2)} ms`, met: t.p99.met },
  );
  if (t.minimal)
    targets.push({ goal: t.minimal.goal, source: "issue 18 (bench:capture)", value: `${f(t.minimal.value, 2)}×`, met: t.minimal.met });
  const lines = [
    "## Capture throughput and latency (app vs bare node:http + batched INSERT)",
    "",
    "| body | conns | app req/s | baseline req/s | **app / baseline** | by CPU cost | app p50 / p99 ms | baseline p50 / p99 ms | app peak RSS MiB | every 2xx stored |",
    "|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|",
  ];
  for (const r of ratios) {
    const app = runs.find((x) => x.target === "app" && x.bodyBytes === r.bodyBytes && x.load.connections === r.connections);
    const base = runs.find((x) => x.target === "baseline" && x.bodyBytes === r.bodyBytes && x.load.connections === r.connections);
    const size =
      r.bodyBytes >= 1 << 20 ? `${r.bodyBytes / (1 << 20)} MiB` : r.bodyBytes >= 1024 ? `${r.bodyBytes / 1024} KiB` : `${r.bodyBytes} B`;
    lines.push(
      `| ${size} | ${r.connections} | ${f(app?.load.rps, 0)} | ${f(base?.load.rps, 0)} | **${pct(r.ratio)}** | ${pct(r.cpuRatio)} | ` +
        `${f(app?.load.latencyMs.p50, 1)} / ${f(app?.load.latencyMs.p99, 1)} | ${f(base?.load.latencyMs.p50, 1)} / ${f(base?.load.latencyMs.p99, 1)} | ` +
        `${f(app?.peakRssMiB, 0)} | ${app?.acknowledgedStored && base?.acknowledgedStored ? (app.rowsMatch2xx && base.rowsMatch2xx ? "yes" : "yes (+ timed-out rows)") : "**no**"} |`,
    );
  }
  for (const r of ratios)
    if (r.minimalRatio !== undefined)
      lines.push(
        `- app / minimal store (primary key only), ${r.bodyBytes} B at ${r.connections} connections: **${f(r.minimalRatio, 2)}×** of the req/s, ${f(r.minimalCpuRatio, 2)}× by CPU cost`,
      );
  lines.push("", `App RSS when ready: ${f(j.appStartRssMiB, 0)} MiB; peak under load ${f(j.appPeakRssMiB, 0)} MiB.`, "");
  return lines;
}

export function liveSection(j: Json, targets: Target[]): string[] {
  const live = j.live as {
    latency: { p50: number; p95: number; p99: number };
    captures: number;
    received: number;
    failures: number;
    peakRssMiB?: number;
  };
  const list = j.list as { rows: number; api: { p50: number; p95: number; p99: number }; sql: { p95: number }; peakRssMiB?: number };
  targets.push(
    {
      goal: "live: capture 2xx → SSE event p95 < 100 ms",
      source: "issue 3",
      value: `${f(live.latency.p95, 1)} ms`,
      met: live.latency.p95 < 100,
    },
    {
      goal: `list: GET …/captures?limit=100 on ${list.rows.toLocaleString("en")} captures p95 < 50 ms`,
      source: "issue 3",
      value: `${f(list.api.p95, 1)} ms`,
      met: list.api.p95 < 50,
    },
  );
  return [
    "## Live latency and list latency",
    "",
    "| measure | p50 ms | p95 ms | p99 ms | peak RSS MiB |",
    "|---|--:|--:|--:|--:|",
    `| capture 2xx → SSE event (${live.received}/${live.captures - live.failures} events, 100/s) | ${f(live.latency.p50, 1)} | ${f(live.latency.p95, 1)} | ${f(live.latency.p99, 1)} | ${f(live.peakRssMiB, 0)} |`,
    `| list API, limit 100, ${list.rows.toLocaleString("en")} captures | ${f(list.api.p50, 1)} | ${f(list.api.p95, 1)} | ${f(list.api.p99, 1)} | ${f(list.peakRssMiB, 0)} |`,
    `| the same SQL straight through pg | – | ${f(list.sql.p95, 1)} | – | – |`,
    "",
  ];
}

export function replicasSection(j: Json): string[] {
  const runs = j.runs as {
    replicas: number;
    rps: number;
    latencyMs: { p50: number; p99: number };
    rowsMatch2xx: boolean;
    postgresCpuUsPerCapture: number | null;
    capturesPerCommit: number | null;
    peakRssMiB: (number | null)[];
  }[];
  const summary = j.summary as {
    replicas: number;
    rps: number;
    postgresCpuUsPerCapture: number | null;
    capturesPerPostgresCore: number | null;
  }[];
  return [
    "## 1, 2 and 3 replicas behind HAProxy",
    "",
    "| replicas | captures/s | p50 / p99 ms | Postgres CPU µs/capture | captures/commit | peak RSS MiB | rows = 2xx |",
    "|--:|--:|--:|--:|--:|--:|:-:|",
    ...runs.map(
      (r) =>
        `| ${r.replicas} | ${f(r.rps, 0)} | ${f(r.latencyMs.p50, 1)} / ${f(r.latencyMs.p99, 1)} | ${f(r.postgresCpuUsPerCapture, 0)} | ${f(r.capturesPerCommit, 1)} | ${r.peakRssMiB.map((x) => f(x, 0)).join(" + ")} | ${r.rowsMatch2xx ? "yes" : "**no**"} |`,
    ),
    "",
    ...summary.map(
      (s) =>
        `- **${s.replicas} replica${s.replicas > 1 ? "s" : ""}: ${f(s.rps, 0)} captures/s**, Postgres ${f(s.postgresCpuUsPerCapture, 0)} µs CPU per capture, ` +
        `so one Postgres core carries about ${f(s.capturesPerPostgresCore, 0)} captures/s.`,
    ),
    "",
    `The replicas, HAProxy, Postgres and the load generator share this machine's ${(j.machine as Json).cpus as number} cores, so ` +
      "captures/s shows the cost of another process on one host; Postgres CPU per capture is what carries over to separate hosts " +
      "(it falls as group commits grow: see captures/commit).",
    "",
  ];
}

export function growthSection(j: Json): string[] {
  const eps = j.endpoints as {
    endpoints: number;
    load: { rps: number; latencyMs: { p50: number; p99: number } };
    serverCpuUsPerReq: number | null;
    postgresCpuUsPerReq: number | null;
    peakRssMiB: number | null;
    rowsMatch2xx: boolean;
  }[];
  const subs = j.subscribers as {
    subscribers: number;
    rssIdleMiB: number | null;
    rssWithStreamsMiB: number | null;
    liveLatency: { p50: number; p99: number };
    load: { rps: number };
    serverCpuUsPerReq: number | null;
    peakRssMiB: number | null;
    streamsWithEveryEvent: number;
    streamsDropped: number;
  }[];
  const list = j.list as { captures: number; firstPage: { p50: number; p95: number }; middlePage: { p50: number; p95: number } }[];
  return [
    "## Cost of growth",
    "",
    "Endpoints (each request to the next endpoint in turn):",
    "",
    "| endpoints | captures/s | p50 / p99 ms | app CPU µs/capture | Postgres CPU µs/capture | peak RSS MiB | rows = 2xx |",
    "|--:|--:|--:|--:|--:|--:|:-:|",
    ...eps.map(
      (e) =>
        `| ${e.endpoints.toLocaleString("en")} | ${f(e.load.rps, 0)} | ${f(e.load.latencyMs.p50, 1)} / ${f(e.load.latencyMs.p99, 1)} | ${f(e.serverCpuUsPerReq, 0)} | ${f(e.postgresCpuUsPerReq, 0)} | ${f(e.peakRssMiB, 0)} | ${e.rowsMatch2xx ? "yes" : "**no**"} |`,
    ),
    "",
    "Live subscribers on one replica, all watching the loaded endpoint:",
    "",
    "| SSE streams | RSS idle → with streams MiB | live p50 / p99 ms (last subscriber, 50/s) | captures/s under load | app CPU µs/capture | peak RSS MiB | streams with every event / dropped |",
    "|--:|--:|--:|--:|--:|--:|--:|",
    ...subs.map(
      (s) =>
        `| ${s.subscribers.toLocaleString("en")} | ${f(s.rssIdleMiB, 0)} → ${f(s.rssWithStreamsMiB, 0)} | ${f(s.liveLatency.p50, 1)} / ${f(s.liveLatency.p99, 1)} | ${f(s.load.rps, 0)} | ${f(s.serverCpuUsPerReq, 0)} | ${f(s.peakRssMiB, 0)} | ${s.streamsWithEveryEvent} / ${s.streamsDropped} |`,
    ),
    "",
    "Dashboard list (limit 50) as one endpoint grows:",
    "",
    "| captures | first page p50 / p95 ms | middle page p50 / p95 ms |",
    "|--:|--:|--:|",
    ...list.map(
      (l) =>
        `| ${l.captures.toLocaleString("en")} | ${f(l.firstPage.p50, 1)} / ${f(l.firstPage.p95, 1)} | ${f(l.middlePage.p50, 1)} / ${f(l.middlePage.p95, 1)} |`,
    ),
    "",
  ];
}

export function searchSection(j: Json, targets: Target[]): string[] {
  const results = j.results as { q: string; rows: number; api: { p50: number; p95: number }; sql: { p95: number } }[];
  const worst = results.reduce((a, b) => (b.api.p95 > a.api.p95 ? b : a));
  targets.push({
    goal: `search: every query p95 < 100 ms on ${(j.rows as number).toLocaleString("en")} captures`,
    source: "issue 5",
    value: `${f(worst.api.p95, 1)} ms (worst: \`${worst.q}\`)`,
    met: results.every((r) => r.api.p95 < 100),
  });
  return [
    `## Search (list API with ?q=, limit ${j.limit as number}, ${(j.rows as number).toLocaleString("en")} captures)`,
    "",
    "| query | rows | API p50 / p95 ms | same SQL p95 ms |",
    "|---|--:|--:|--:|",
    ...results.map(
      (r) => `| \`${r.q.replace(/\|/g, "\\|")}\` | ${r.rows} | ${f(r.api.p50, 1)} / ${f(r.api.p95, 1)} | ${f(r.sql.p95, 1)} |`,
    ),
    "",
    `App peak RSS while searching: ${f(j.peakRssMiB, 0)} MiB.`,
    "",
  ];
}

export function exportSection(j: Json): string[] {
  type Run = { capturesPerSecond: number; outputMBps: number; bodyMBps: number; seconds: number; peakRssMiB: number | null };
  const ex = j.exports as { ndjson: Run; har: Run };
  const base = j.baselines as { select: Run; copy: Run | null };
  const row = (label: string, r: Run | null) =>
    r
      ? `| ${label} | ${f(r.capturesPerSecond, 0)} | ${f(r.outputMBps, 1)} | ${f(r.bodyMBps, 1)} | ${f(r.peakRssMiB, 0)} |`
      : `| ${label} | – | – | – | – |`;
  return [
    `## Export (${(j.rows as number).toLocaleString("en")} captures)`,
    "",
    "| run | captures/s | MB/s out | MB/s of bodies | peak RSS MiB |",
    "|---|--:|--:|--:|--:|",
    row("export NDJSON (API)", ex.ndjson),
    row("export HAR (API)", ex.har),
    row("baseline: SELECT through a cursor", base.select),
    row("baseline: COPY TO STDOUT", base.copy),
    "",
  ];
}

export function abuseSection(j: Json, targets: Target[]): string[] {
  const abuse = j.abuse as { rps: number; limitedShare: number };
  const told = j.told as { status: number; retryAfter: string | null };
  const rounds = j.perRound as { idle: { p50: number; p99: number }; underAbuse: { p50: number; p99: number; ok: number; sent: number } }[];
  const checks = j.checks as Record<string, boolean>;
  targets.push(
    {
      goal: "rate limit: an address far over it gets 429 + Retry-After",
      source: "issue 8",
      value: `${pct(abuse.limitedShare)} answered 429, Retry-After ${told.retryAfter ?? "none"}`,
      met: checks.abuserGets429 === true && checks.retryAfter === true,
    },
    {
      goal: "rate limit: another endpoint's p99 under the flood ≤ 2x its idle p99",
      source: "issue 8",
      value: `${f(j.ratio, 2)}x (${f(j.idleP99, 1)} → ${f(j.abuseP99, 1)} ms)`,
      met: checks.p99Within2x === true && checks.quietAllAccepted === true,
    },
  );
  return [
    "## Rate limit under a flood (one address, one endpoint)",
    "",
    `The abuser: about ${f(abuse.rps, 0)} req/s, ${pct(abuse.limitedShare)} answered 429 (a request over the limit: ` +
      `${told.status}, Retry-After ${told.retryAfter ?? "none"}). A quiet sender on another endpoint at ${j.probeRate as number} req/s, ` +
      `${j.seconds as number} s per phase:`,
    "",
    "| round | idle p50 / p99 ms | under the flood p50 / p99 ms | quiet captures accepted |",
    "|--:|--:|--:|--:|",
    ...rounds.map(
      (r, i) =>
        `| ${i + 1} | ${f(r.idle.p50, 1)} / ${f(r.idle.p99, 1)} | ${f(r.underAbuse.p50, 1)} / ${f(r.underAbuse.p99, 1)} | ${r.underAbuse.ok}/${r.underAbuse.sent} |`,
    ),
    "",
    `p99 under the flood / idle p99 (medians of the rounds): **${f(j.ratio, 2)}x**. On a loaded shared machine the idle p99 ` +
      "alone moves between rounds; the ratio needs an otherwise quiet machine to judge.",
    "",
  ];
}

export function opaqueSection(r: StepResult): string[] {
  return [`## ${r.name}`, "", "Its own output (this report does not interpret its figures):", "", "```", r.tail, "```", ""];
}
