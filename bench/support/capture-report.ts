// bench/capture.ts's report: the figures of every run as a markdown table and JSON, the app /
// baseline ratios, and whether the targets of issue 1 are met.
import os from "node:os";
import type { LoadResult } from "./load";

const TARGETS = { throughputRatio: 0.5, minimalRatio: 0.6, p99Ms: 50, p99Connections: 32, rulesRatio: 0.9 } as const;

/**
 * minimal: bare node:http + a table with only a primary key (issue 18); baseline: bare node:http +
 * the app's captures table; app: the server, an endpoint without rules; capture: the server as a
 * capture-only process (SERVER_ROLE=capture: no Next), an endpoint without rules; rules: the app
 * server, an endpoint with 21 response rules (20 that do not match, then the one that does).
 */
export type Target = "minimal" | "baseline" | "app" | "capture" | "rules";

export interface Measured {
  target: Target;
  bodyBytes: number;
  load: LoadResult;
  rowsWritten: number;
  /** As many rows as 2xx answers, each with the body and headers sent. */
  rowsMatch2xx: boolean;
  /**
   * Every 2xx has its row, intact (rows ≥ 2xx). More rows than 2xx happen only when the load
   * generator gave up on a request (timeout) that was committed after all: stored, never
   * acknowledged, and a provider would retry it.
   */
  acknowledgedStored: boolean;
  /** Average group-commit batch size. */
  rowsPerTransaction: number | null;
  serverCpuUsPerReq: number | null;
  postgresCpuUsPerReq: number | null;
  loadGenCpuUsPerReq: number;
  /** Autovacuums and autoanalyzes of the capture tables, and checkpoints, that ended during this target's load: Postgres CPU no request asked for. */
  autovacuums: number;
  checkpoints: number;
  peakRssMiB: number | null;
  /**
   * Search indexing after the load (the app's indexer, lib/server/search/indexer.ts, also indexes
   * the app-table baseline's rows): the most captures still waiting for it when a slice ended, the
   * longest it took to index them all, and the Postgres CPU that took per request. Null for the
   * minimal store, which has no search.
   */
  index: { maxPendingAtEnd: number; maxCatchUpS: number; postgresCpuUsPerReq: number | null } | null;
}

/** The run's settings, as given on the command line. */
export interface CaptureSettings {
  label: string;
  duration: number;
  rounds: number;
  warmup: number;
  connections: number[];
  bodySizes: number[];
  appEnv: Record<string, string>;
}

export const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(0)}%`);
export const fmt = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(digits);

export function buildReport(
  r: { startedAt: Date; runs: Measured[]; appHwmMiB: number | null; appStartRssMiB: number | null },
  settings: CaptureSettings,
) {
  const find = (target: Target, b: number, c: number) =>
    r.runs.find((m) => m.target === target && m.bodyBytes === b && m.load.connections === c);
  const ratios = settings.bodySizes
    .flatMap((bytes) => settings.connections.map((c) => [bytes, c] as const))
    .map(([bytes, c]) => {
      const a = find("app", bytes, c);
      const b = find("baseline", bytes, c);
      const min = find("minimal", bytes, c);
      const ruled = find("rules", bytes, c);
      const cap = find("capture", bytes, c);
      const cost = (m: Measured | undefined) =>
        m && m.serverCpuUsPerReq !== null && m.postgresCpuUsPerReq !== null ? m.serverCpuUsPerReq + m.postgresCpuUsPerReq : null;
      const appCost = cost(a);
      const baseCost = cost(b);
      const minimalCost = cost(min);
      const captureCost = cost(cap);
      return {
        bodyBytes: bytes,
        connections: c,
        ratio: a && b && b.load.rps > 0 ? a.load.rps / b.load.rps : null,
        /** app req/s over the minimal store's (issue 18). */
        minimalRatio: a && min && min.load.rps > 0 ? a.load.rps / min.load.rps : null,
        // Less sensitive to other load on the machine than req/s: what each request costs.
        appCpuUsPerReq: appCost,
        baselineCpuUsPerReq: baseCost,
        cpuRatio: appCost && baseCost ? baseCost / appCost : null,
        minimalCpuUsPerReq: minimalCost,
        /** The minimal store's CPU per request over the app's: the same ratio by cost, steadier on a loaded machine. */
        minimalCpuRatio: appCost && minimalCost ? minimalCost / appCost : null,
        /** The capture-only process (SERVER_ROLE=capture) over the minimal store: req/s, and by cost. */
        captureMinimalRatio: cap && min && min.load.rps > 0 ? cap.load.rps / min.load.rps : null,
        captureCpuUsPerReq: captureCost,
        captureMinimalCpuRatio: captureCost && minimalCost ? minimalCost / captureCost : null,
        /** req/s of the endpoint with 21 rules over the endpoint without, same server, same run. */
        rulesRatio: ruled && a && a.load.rps > 0 ? ruled.load.rps / a.load.rps : null,
      };
    });
  // The targets are for a typical webhook: the smallest body measured.
  const typical = Math.min(...settings.bodySizes);
  const minRatio = Math.min(...ratios.filter((x) => x.bodyBytes === typical).map((x) => x.ratio ?? 0));
  const minMinimalRatio = Math.min(...ratios.filter((x) => x.bodyBytes === typical).map((x) => x.minimalRatio ?? 0));
  const minCaptureRatio = Math.min(...ratios.filter((x) => x.bodyBytes === typical).map((x) => x.captureMinimalRatio ?? 0));
  const p99At = find("app", typical, TARGETS.p99Connections)?.load.latencyMs.p99 ?? null;
  const minRulesRatio = Math.min(...ratios.filter((x) => x.bodyBytes === typical).map((x) => x.rulesRatio ?? 0));
  const targets = {
    throughput: {
      goal: `app ≥ ${TARGETS.throughputRatio * 100}% of baseline req/s (${typical} B bodies, every connection count)`,
      value: minRatio,
      met: minRatio >= TARGETS.throughputRatio,
    },
    minimal: {
      goal: `app ≥ ${TARGETS.minimalRatio}× the minimal store's req/s (${typical} B bodies, every connection count)`,
      value: minMinimalRatio,
      met: minMinimalRatio >= TARGETS.minimalRatio,
    },
    captureMinimal: {
      goal: `a capture-only process (SERVER_ROLE=capture) ≥ ${TARGETS.minimalRatio}× the minimal store's req/s (${typical} B bodies, every connection count)`,
      value: minCaptureRatio,
      met: minCaptureRatio >= TARGETS.minimalRatio,
    },
    p99: {
      goal: `app p99 < ${TARGETS.p99Ms} ms at ${TARGETS.p99Connections} connections (${typical} B bodies)`,
      value: p99At,
      met: p99At === null ? null : p99At < TARGETS.p99Ms,
    },
    rules: {
      goal: `20 rules that do not match and one that does: ≥ ${TARGETS.rulesRatio * 100}% of the req/s without rules (${typical} B bodies)`,
      value: minRulesRatio,
      met: minRulesRatio >= TARGETS.rulesRatio,
    },
  };
  const allRowsMatch = r.runs.every((m) => m.acknowledgedStored);
  const appPeakRss = Math.max(...r.runs.filter((m) => m.target === "app").map((m) => m.peakRssMiB ?? 0));

  const lines = [
    `# Capture benchmark ${r.startedAt.toISOString()}${settings.label ? ` (${settings.label})` : ""}`,
    "",
    `${os.cpus().length} CPUs, load average at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(
        " ",
      )}, Node ${process.version}; ${settings.duration} s per server and connection count in ${settings.rounds} alternating rounds, ` +
      `after ${settings.warmup} s warm-up; ` +
      `JSON bodies of ${settings.bodySizes.join(", ")} bytes${Object.keys(settings.appEnv).length ? `; app env ${JSON.stringify(settings.appEnv)}` : ""}.`,
    "",
    "| server | body B | conns | req/s | p50 ms | p99 ms | errors / non-2xx | 2xx | rows | rows = 2xx, intact | rows/commit | server CPU µs/req | Postgres CPU µs/req | autovacuums / checkpoints during load | peak RSS MiB | not yet indexed at end / caught up after | Postgres µs/req until caught up (indexing, schema worker, autovacuum) |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|--:|--:|--:|--:|--:|--:|--:|",
    ...r.runs.map(
      (m) =>
        `| ${m.target} | ${m.bodyBytes} | ${m.load.connections} | ${fmt(m.load.rps, 0)} | ${fmt(m.load.latencyMs.p50, 2)} | ${fmt(m.load.latencyMs.p99, 2)} | ` +
        `${m.load.errors} / ${m.load.non2xx} | ${m.load.ok2xx} | ${m.rowsWritten} | ${m.rowsMatch2xx ? "yes" : m.acknowledgedStored ? "≥ (timeouts)" : "**NO**"} | ${fmt(m.rowsPerTransaction)} | ` +
        `${fmt(m.serverCpuUsPerReq, 0)} | ${fmt(m.postgresCpuUsPerReq, 0)} | ${m.autovacuums} / ${m.checkpoints} | ${fmt(m.peakRssMiB, 0)} | ` +
        `${m.index ? `${m.index.maxPendingAtEnd} / ${fmt(m.index.maxCatchUpS)} s` : "–"} | ${fmt(m.index?.postgresCpuUsPerReq, 0)} |`,
    ),
    "",
    ...ratios.map(
      (x) =>
        `- **app / minimal store, ${x.bodyBytes} B at ${x.connections} connections: ${fmt(x.minimalRatio, 2)}×** of the req/s; ` +
        `by cost (server + Postgres CPU per request, ${fmt(x.appCpuUsPerReq, 0)} µs vs ${fmt(x.minimalCpuUsPerReq, 0)} µs) ${fmt(x.minimalCpuRatio, 2)}×; ` +
        `**app / app-table baseline: ${pct(x.ratio)} of the req/s**; CPU per request (server + Postgres) ` +
        `${fmt(x.appCpuUsPerReq, 0)} µs vs ${fmt(x.baselineCpuUsPerReq, 0)} µs, so ${pct(x.cpuRatio)} by cost; ` +
        `**21 rules / no rules: ${pct(x.rulesRatio)} of the req/s**; ` +
        `**capture-only process / minimal store: ${fmt(x.captureMinimalRatio, 2)}×** of the req/s, by cost (${fmt(x.captureCpuUsPerReq, 0)} µs) ${fmt(x.captureMinimalCpuRatio, 2)}×`,
    ),
    `- app RSS: ${fmt(r.appStartRssMiB, 0)} MiB when ready (Next included), peak ${fmt(appPeakRss, 0)} MiB during load, VmHWM ${fmt(r.appHwmMiB, 0)} MiB`,
    "",
    "| target | value | |",
    "|---|--:|:-:|",
    `| ${targets.throughput.goal} | ${(minRatio * 100).toFixed(0)}% (lowest) | ${targets.throughput.met ? "met" : "**not met**"} |`,
    `| ${targets.minimal.goal} | ${fmt(minMinimalRatio, 2)}× (lowest) | ${targets.minimal.met ? "met" : "**not met**"} |`,
    `| ${targets.captureMinimal.goal} | ${fmt(minCaptureRatio, 2)}× (lowest) | ${targets.captureMinimal.met ? "met" : "**not met**"} |`,
    `| ${targets.p99.goal} | ${fmt(p99At, 2)} ms | ${targets.p99.met === null ? "not measured" : targets.p99.met ? "met" : "**not met**"} |`,
    `| ${targets.rules.goal} | ${(minRulesRatio * 100).toFixed(0)}% (lowest) | ${targets.rules.met ? "met" : "**not met**"} |`,
    "",
    allRowsMatch
      ? "Every run: every 2xx response counted has its row in the database, with the body and headers sent (rows = 2xx unless the load generator timed out on requests that were stored)."
      : "**In at least one run the rows differ from the 2xx responses counted.**",
    "",
  ];
  return {
    markdown: lines.join("\n"),
    json: {
      startedAt: r.startedAt.toISOString(),
      label: settings.label || null,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, node: process.version, loadavgAtEnd: os.loadavg() },
      settings: {
        durationS: settings.duration,
        rounds: settings.rounds,
        warmupS: settings.warmup,
        connections: settings.connections,
        bodyBytes: settings.bodySizes,
        appEnv: settings.appEnv,
      },
      runs: r.runs,
      ratios,
      appPeakRssMiB: appPeakRss,
      appHwmMiB: r.appHwmMiB,
      appStartRssMiB: r.appStartRssMiB,
      targets,
      allRowsMatch,
    },
  };
}
