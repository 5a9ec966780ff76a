// /api/metrics (Prometheus exposition, access rules) and the structured logs, against the real
// server: counters must move with real captures and sends, and log lines must never carry bodies.
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { rawRequest, requestBytes, type RawResponse } from "./support/raw-http";
import { waitFor } from "./support/wait";

const TOKEN = "metrics-token-0123456789abcdef";
let open: RunningApp; // no METRICS_TOKEN: loopback only (after TRUST_PROXY)
let locked: RunningApp; // METRICS_TOKEN set; capture URLs on their own host (CAPTURE_BASE_URL)
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("observe");
  [open, locked] = await Promise.all([
    startApp({ databaseUrl: db.url, env: { TRUST_PROXY: "1", LOG_CAPTURES: "true", LOG_DELIVERIES: "true" } }),
    startApp({ databaseUrl: db.url, env: { METRICS_TOKEN: TOKEN, CAPTURE_BASE_URL: "https://in.example.test/" } }),
  ]);
});
after(async () => {
  await Promise.all([open?.stop(), locked?.stop()]);
  if (db) await dropDatabase(db.name);
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses Prometheus text exposition 0.0.4 strictly enough to fail on a malformed line: every line
 * is blank, a `# HELP`/`# TYPE` comment, or `name{label="value",…} number` (Prometheus reads
 * NaN in any case; prom-client writes the event-loop lag as "Nan" before its first sample).
 */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") {
        assert.match(meta[3]!, /^(counter|gauge|histogram|summary|untyped)$/, line);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)(?: -?\d+)?$/.exec(line);
    assert.ok(m, `not a valid exposition line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

async function scrape(app: RunningApp, headers: Record<string, string> = {}) {
  const r = await fetch(`${app.baseUrl}/api/metrics`, { headers });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  assert.match(r.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  return parseExposition(text);
}

function value(s: { samples: Sample[] }, name: string, labels: Record<string, string> = {}): number {
  const hit = s.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return hit?.value ?? 0;
}

test("metrics: valid exposition text whose capture counters rise with captures", async () => {
  const before = await scrape(open);
  assert.equal(before.types.get("hookscope_captures_total"), "counter");
  assert.equal(before.types.get("hookscope_capture_commit_seconds"), "histogram");
  assert.equal(before.types.get("hookscope_live_subscribers"), "gauge");
  assert.ok(value(before, "process_resident_memory_bytes") > 0, "default process metrics are there");

  const ep = await createEndpoint(open.baseUrl);
  for (let i = 0; i < 5; i++) {
    const r = await fetch(`${ep.captureUrl}/m${i}`, { method: "POST", body: "0123456789" });
    assert.equal(r.status, 200);
    await r.arrayBuffer();
  }
  const unknown = await fetch(`${open.baseUrl}/h/zzzzzzzzzzzzzzzz`, { method: "POST", body: "x" });
  assert.equal(unknown.status, 404);
  await unknown.arrayBuffer();

  const after = await scrape(open);
  assert.equal(value(after, "hookscope_captures_total") - value(before, "hookscope_captures_total"), 5);
  assert.equal(value(after, "hookscope_capture_bytes_total") - value(before, "hookscope_capture_bytes_total"), 50);
  assert.equal(
    value(after, "hookscope_capture_rejections_total", { reason: "not_found" }) -
      value(before, "hookscope_capture_rejections_total", { reason: "not_found" }),
    1,
  );
  // Every committed row lands in one batch-size observation: the histogram's sum counts rows.
  assert.equal(value(after, "hookscope_capture_batch_rows_sum") - value(before, "hookscope_capture_batch_rows_sum"), 5);
  assert.ok(value(after, "hookscope_capture_commit_seconds_count") > value(before, "hookscope_capture_commit_seconds_count"));
});

test("metrics: the live subscriber gauge follows open streams", async () => {
  const ep = await createEndpoint(open.baseUrl);
  const ctrl = new AbortController();
  const r = await fetch(`${open.baseUrl}/api/endpoints/${ep.id}/events`, {
    headers: { authorization: `Bearer ${ep.managementKey}` },
    signal: ctrl.signal,
  });
  assert.equal(r.status, 200);
  await waitFor(async () => value(await scrape(open), "hookscope_live_subscribers") === 1, "gauge = 1");
  ctrl.abort();
  await waitFor(async () => value(await scrape(open), "hookscope_live_subscribers") === 0, "gauge = 0");
});

test("metrics and logs: a test event is one delivery, counted by outcome and logged without its body", async () => {
  const ep = await createEndpoint(open.baseUrl);
  const before = await scrape(open);
  const r = await fetch(`${open.baseUrl}/api/endpoints/${ep.id}/test-events`, {
    method: "POST",
    headers: { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" },
    body: JSON.stringify({ provider: "github", secret: "delivery-log-secret", target: "self" }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  await r.arrayBuffer();
  const after = await scrape(open);
  const labels = { kind: "test_event", outcome: "success" };
  assert.equal(value(after, "hookscope_deliveries_total", labels) - value(before, "hookscope_deliveries_total", labels), 1);

  await waitFor(() => logLines(open).some((l) => l.msg === "delivery" && l.endpointId === ep.id), "a delivery log line");
  const line = logLines(open).find((l) => l.msg === "delivery" && l.endpointId === ep.id)!;
  assert.equal(line.kind, "test_event");
  assert.equal(line.outcome, "success");
  assert.equal(line.status, 200);
  assert.equal(typeof line.durationMs, "number");
  assert.equal(line.target, open.baseUrl, "the target is logged as its origin only");
  assert.ok(!open.output().includes("delivery-log-secret"), "the secret never reaches the log");
});

function logLines(app: RunningApp): Record<string, unknown>[] {
  return app
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test("logs: one JSON line per capture with ids and timing, never the body or header values", async () => {
  const ep = await createEndpoint(open.baseUrl);
  const r = await fetch(`${ep.captureUrl}/logged?q=1`, {
    method: "PUT",
    body: "body-must-not-be-logged",
    headers: { "x-header-value": "header-must-not-be-logged" },
  });
  assert.equal(r.status, 200);
  const { id } = (await r.json()) as { id: string };
  await waitFor(() => logLines(open).some((l) => l.captureId === id), "the capture's log line");
  const line = logLines(open).find((l) => l.captureId === id)!;
  assert.equal(line.msg, "capture");
  assert.equal(line.level, "info");
  assert.equal(line.endpointId, ep.id);
  assert.equal(line.method, "PUT");
  assert.equal(line.status, 200);
  assert.equal(line.bytes, "body-must-not-be-logged".length);
  assert.equal(typeof line.seq, "number");
  assert.equal(typeof line.storedUs, "number");
  assert.ok(!Number.isNaN(Date.parse(String(line.time))));
  assert.ok(!open.output().includes("must-not-be-logged"));
});

test("logs: when stdout and stderr go away (EPIPE), the server keeps capturing and goes quiet instead of spinning", async () => {
  // What a server started by a process that has since died sees. Unheard, each failed write was an
  // uncaught exception that Next's handler printed to the same dead stderr, and so on without end.
  const app = await startApp({ databaseUrl: db.url, env: { LOG_CAPTURES: "true" } });
  try {
    const ep = await createEndpoint(app.baseUrl);
    app.process.stdout!.destroy();
    app.process.stderr!.destroy();
    const writes = () => Number(/^syscw: (\d+)$/m.exec(fs.readFileSync(`/proc/${app.pid}/io`, "utf8"))![1]);
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${ep.captureUrl}/after-epipe-${i}`, { method: "POST", body: "x" });
      assert.equal(r.status, 200, "captures are still stored and answered");
      await r.arrayBuffer();
    }
    // Quiet: no write system call between two looks 25 ms apart (spinning, it made thousands a second).
    let last = writes();
    await waitFor(() => {
      const now = writes();
      const quiet = now === last;
      last = now;
      return quiet;
    }, "the server to stop writing");
    assert.equal(app.process.exitCode, null, "still running");
  } finally {
    await app.stop();
  }
});

test("metrics access: loopback only without a token; a forwarded outside client is refused", async () => {
  // TRUST_PROXY=1: the client is the address the (trusted) proxy reports.
  const outside = await fetch(`${open.baseUrl}/api/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
  assert.equal(outside.status, 403);
  assert.match(((await outside.json()) as { error: { message: string } }).error.message, /METRICS_TOKEN/);
  const inside = await fetch(`${open.baseUrl}/api/metrics`, { headers: { "x-forwarded-for": "127.0.0.1" } });
  assert.equal(inside.status, 200);
  await inside.arrayBuffer();
  const post = await fetch(`${open.baseUrl}/api/metrics`, { method: "POST" });
  assert.equal(post.status, 405);
  await post.arrayBuffer();
});

test("metrics access: with METRICS_TOKEN, the bearer token is required even on loopback", async () => {
  const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong-token-0123456789" }, { authorization: TOKEN }];
  for (const headers of attempts) {
    const r = await fetch(`${locked.baseUrl}/api/metrics`, { headers });
    assert.equal(r.status, 401, JSON.stringify(headers));
    assert.equal(r.headers.get("www-authenticate"), "Bearer");
    await r.arrayBuffer();
  }
  const s = await scrape(locked, { authorization: `Bearer ${TOKEN}` });
  assert.ok(s.samples.some((x) => x.name === "hookscope_captures_total"));
});

test("CAPTURE_BASE_URL: capture URLs on their own host, dashboard links on PUBLIC_BASE_URL", async () => {
  const ep = await createEndpoint(locked.baseUrl);
  assert.equal(ep.captureUrl, `https://in.example.test/h/${ep.slug}`);
  assert.equal(ep.dashboardUrl, `${locked.baseUrl}/endpoints/${ep.id}`);
});

test("CAPTURE_BASE_URL: two hosts, really split: the dashboard's host never answers /h/, the capture host serves only captures and health", async () => {
  const ep = await createEndpoint(locked.baseUrl, { response: { status: 201, body: "configured answer" } });
  const port = Number(new URL(locked.baseUrl).port);
  const dashboardHost = new URL(locked.baseUrl).host;
  const send = (host: string, method: string, target: string, headers: [string, string][] = []): Promise<RawResponse> =>
    rawRequest(port, requestBytes(`${method} ${target} HTTP/1.1`, [["Host", host], ["Connection", "close"], ...headers]), {
      head: method === "HEAD",
    });
  const code = (r: RawResponse) => (JSON.parse(r.body.toString()) as { error: { code: string } }).error.code;

  // The capture host: captures, and nothing of the dashboard.
  const hit = await send("in.example.test", "GET", `/h/${ep.slug}/x`);
  assert.equal(hit.status, 201);
  assert.equal(hit.body.toString(), "configured answer");
  assert.equal((await send("IN.example.test:443", "GET", `/h/${ep.slug}`)).status, 201, "host compared without case or default port");
  assert.equal((await send("in.example.test", "GET", "/api/health")).status, 200);
  for (const [method, target] of [
    ["GET", "/"],
    ["GET", `/endpoints/${ep.id}`],
    ["GET", "/api/endpoints"],
    ["POST", "/api/endpoints"],
    ["GET", `/api/endpoints/${ep.id}`],
    ["GET", "/api/openapi.json"],
    ["GET", "/api/metrics"],
    ["GET", "/_next/static/chunks/x.js"],
    ["GET", "/s/some-token"],
    ["GET", "/api/healthz"],
  ]) {
    const r = await send("in.example.test", method!, target!, [["Authorization", `Bearer ${ep.managementKey}`]]);
    assert.equal(r.status, 404, `capture host served ${method} ${target}`);
    assert.equal(code(r), "NOT_FOUND");
    assert.match(JSON.parse(r.body.toString()).error.message, /serves capture URLs \(\/h\/<slug>\) only/);
  }

  // The dashboard's host (and any other name for this server): the dashboard, never a configured answer.
  for (const host of [dashboardHost, "localhost", "hooks.example.test"]) {
    for (const method of ["GET", "POST", "HEAD"]) {
      const r = await send(host, method, `/h/${ep.slug}/x`, [["Content-Length", "0"]]);
      assert.equal(r.status, 404, `${host} answered ${method} /h/`);
      if (method !== "HEAD") assert.match(r.body.toString(), /Capture URLs are served on https:\/\/in\.example\.test/);
    }
  }
  assert.equal((await send(dashboardHost, "GET", "/api/health")).status, 200);
  const page = await send(dashboardHost, "GET", "/");
  assert.equal(page.status, 200);
  assert.match(page.header("content-type") ?? "", /text\/html/);

  // Only the captures sent to the capture host were stored.
  const list = await fetch(`${locked.baseUrl}/api/endpoints/${ep.id}/captures`, {
    headers: { authorization: `Bearer ${ep.managementKey}` },
  });
  assert.equal(((await list.json()) as { items: unknown[] }).items.length, 2);
});
