// SERVER_ROLE=capture: a process that serves capture URLs, /api/health and /api/metrics without
// Next, beside an ordinary process on the same database. What it stores is the same as any
// replica's (found by the other's API and search, told to its live streams); everything else it
// refuses.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { waitFor } from "./support/wait";

let app: RunningApp;
let capture: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("role");
  [app, capture] = await Promise.all([
    startApp({ databaseUrl: db.url }),
    startApp({ databaseUrl: db.url, env: { SERVER_ROLE: "capture" } }),
  ]);
});
after(async () => {
  await Promise.all([app?.stop(), capture?.stop()]);
  if (db) await dropDatabase(db.name);
});

test("a capture-only process stores captures the dashboard's process lists, finds and streams live", async () => {
  assert.match(capture.output(), /capture URLs only/, "the start line names the role");
  const ep = await createEndpoint(app.baseUrl, { response: { status: 201, body: "stored by the capture process" } });
  const auth = { authorization: `Bearer ${ep.managementKey}` };
  // A live stream on the ordinary process, open before the capture.
  const live = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/events`, { headers: { ...auth, accept: "text/event-stream" } });
  assert.equal(live.status, 200);
  const reader = live.body!.getReader();
  let streamed = "";
  const told = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      streamed += new TextDecoder().decode(value);
    }
  })();

  const body = JSON.stringify({ type: "invoice.paid", marker: "role-capture-7f3a" });
  const r = await fetch(`${capture.baseUrl}/h/${ep.slug}/hooks?x=1`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  assert.equal(r.status, 201);
  assert.equal(await r.text(), "stored by the capture process");
  const id = r.headers.get("x-hookscope-capture-id");
  assert.ok(id, "the answer names the capture");

  const stored = await fetch(`${app.baseUrl}/api/captures/${id}/body`, { headers: auth });
  assert.equal(stored.status, 200);
  assert.equal(await stored.text(), body, "the exact body bytes");
  const found = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/captures?q=role-capture-7f3a`, { headers: auth });
  assert.deepEqual(
    ((await found.json()) as { items: { id: string }[] }).items.map((c) => c.id),
    [id],
  );
  await waitFor(() => streamed.includes(id), "the dashboard process's live stream to tell of the capture");
  await reader.cancel();
  await told.catch(() => {});
});

test("a capture-only process answers health and metrics, and refuses the dashboard and the API", async () => {
  const health = await fetch(`${capture.baseUrl}/api/health`);
  assert.equal(health.status, 200);
  assert.equal(health.headers.get("cache-control"), "no-store");
  const report = (await health.json()) as Record<string, unknown>;
  assert.equal(report.status, "ok");
  assert.equal(report.database, "up");
  assert.equal(typeof report.latencyMs, "number");
  assert.equal(report.liveSubscribers, 0);
  // The headers and methods of the Next route (next.config.ts, method-not-allowed.ts).
  for (const [name, value] of [
    ["content-security-policy", "default-src 'none'; frame-ancestors 'none'; sandbox"],
    ["x-frame-options", "DENY"],
    ["referrer-policy", "no-referrer"],
    ["x-content-type-options", "nosniff"],
  ]) {
    assert.equal(health.headers.get(name!), value, name);
  }
  const post = await fetch(`${capture.baseUrl}/api/health`, { method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET, HEAD, OPTIONS");
  assert.match(
    ((await post.json()) as { error: { message: string } }).error.message,
    /does not answer POST; it answers GET, HEAD, OPTIONS/,
  );
  const options = await fetch(`${capture.baseUrl}/api/health`, { method: "OPTIONS" });
  assert.equal(options.status, 204);
  assert.equal(options.headers.get("allow"), "GET, HEAD, OPTIONS");

  const metrics = await fetch(`${capture.baseUrl}/api/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /^hookscope_captures_total /m);

  const ep = await createEndpoint(app.baseUrl);
  for (const [method, path] of [
    ["GET", "/"],
    ["GET", `/endpoints/${ep.id}`],
    ["GET", "/api/endpoints"],
    ["POST", "/api/endpoints"],
    ["GET", `/api/endpoints/${ep.id}`],
    ["GET", "/api/openapi.json"],
    ["GET", "/_next/static/chunks/x.js"],
    ["GET", "/s/some-token"],
    ["GET", "/cli/hookscope.tgz"],
  ] as const) {
    const res = await fetch(`${capture.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${ep.managementKey}` } });
    assert.equal(res.status, 404, `${method} ${path}`);
    const err = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(err.error.code, "NOT_FOUND");
    assert.match(err.error.message, new RegExp(`serves capture URLs \\(/h/<slug>\\) only; the dashboard is at ${capture.baseUrl}`));
  }
});

test("the dashboard process hears the capture-only process's commits (its search indexer yields while they come)", async () => {
  const heard = async (app: RunningApp) => {
    const text = await (await fetch(`${app.baseUrl}/api/metrics`)).text();
    const line = /^hookscope_capture_commits_heard_total (\d+)$/m.exec(text);
    assert.ok(line, "the metric is exposed");
    return Number(line[1]);
  };
  // No live stream was ever opened on the capture process: its search indexer opened the connection.
  const listening = async () =>
    ((await (await fetch(`${capture.baseUrl}/api/health`)).json()) as { liveListening: boolean | null }).liveListening;
  await waitFor(async () => (await listening()) === true, "the capture process's LISTEN connection");
  const ep = await createEndpoint(app.baseUrl);
  const before = await heard(app);
  const r = await fetch(`${capture.baseUrl}/h/${ep.slug}`, { method: "POST", body: "heard elsewhere" });
  assert.equal(r.status, 200);
  await waitFor(async () => (await heard(app)) > before, "the dashboard process to hear the commit");
});
