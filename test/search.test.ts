// Search over the list API against the real server and a real PostgreSQL: captures sent over
// HTTP to the capture URL, then every filter and combinations of them must return exactly the
// expected captures (through cursor pagination too), both while they wait for the search indexer
// and once it has indexed them; bad queries a worded 400, and each term the trigram indexes serve
// must be able to use its index.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fs from "node:fs";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { captureFilterSql } from "@/lib/server/db/capture-search";
import { closeDb } from "@/lib/server/db/client";
import { indexPendingCaptures } from "@/lib/server/db/search-index";
import { startSearchIndexer } from "@/lib/server/search/indexer";
import { captureCommits, closeLive } from "@/lib/server/live/registry";
import { parseSearchQuery } from "@/lib/shared/search/query";
import { detectEventType } from "@/lib/shared/events/event-type";
import { buildSignedTestEvent } from "@/lib/shared/signatures/samples";
import { TEST_EVENTS, type TTestEventProvider } from "@/lib/shared/validation/signatures";
import { ZCapturePage } from "@/lib/shared/validation/captures";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { waitFor } from "./support/wait";

let app: RunningApp;
let db: { name: string; url: string };
let sql: pg.Client;
let ep: Awaited<ReturnType<typeof createEndpoint>>;
let other: Awaited<ReturnType<typeof createEndpoint>>;
/** seed name → capture id */
const ids = new Map<string, string>();

interface Seed {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const BIG = `{"early":"yes","fill":"${"x".repeat(12_000)}needle"}`;
const SEEDS: Seed[] = [
  {
    name: "a",
    method: "POST",
    path: "/stripe/events",
    headers: { "Content-Type": "application/json", "Stripe-Signature": "t=1,v1=abc" },
    body: '{"type":"payment_intent.succeeded","amount":2000}',
  },
  {
    name: "b",
    method: "POST",
    path: "/stripe/refunds",
    headers: { "Content-Type": "application/json", "Stripe-Signature": "t=2,v1=def" },
    body: '{"type":"charge.refunded","note":"Refund for order 42"}',
  },
  {
    name: "c",
    method: "POST",
    path: "/github",
    headers: { "Content-Type": "application/json", "X-GitHub-Event": "push" },
    body: '{"ref":"refs/heads/main"}',
  },
  {
    name: "d",
    method: "POST",
    path: "/github",
    headers: { "Content-Type": "application/json", "X-GitHub-Event": "pull_request", "X-Other": "push" },
    body: '{"action":"opened"}',
  },
  { name: "e", method: "GET", path: "/health?x=1" },
  {
    name: "f",
    method: "PUT",
    path: "/stripe/events/evt_1",
    headers: { "Content-Type": "text/plain; charset=utf-8" },
    body: "plain text café",
  },
  {
    name: "g",
    method: "POST",
    path: "/upload",
    headers: { "Content-Type": "application/octet-stream" },
    body: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from("refund inside binary")]),
  },
  { name: "h", method: "POST", path: "/big", headers: { "Content-Type": "application/json" }, body: BIG },
  { name: "i", method: "POST", path: "/percent_50", headers: { "Content-Type": "text/plain" }, body: "100% sure_thing" },
  {
    name: "j",
    method: "POST",
    path: "/billing",
    headers: { "Content-Type": "application/json", "webhook-id": "msg_1" },
    body: '{"type":"invoice.paid","data":{}}',
  },
  {
    name: "k",
    method: "POST",
    path: "/zipped",
    headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
    body: gzipSync('{"type":"hidden.inside.gzip"}'),
  },
];
const ALL = SEEDS.map((s) => s.name);
/** Seed names whose body size is within [min, max]. */
const sized = (min: number, max: number) =>
  SEEDS.filter((s) => (s.body?.length ?? 0) >= min && (s.body?.length ?? 0) <= max).map((s) => s.name);

async function send(slug: string, s: Seed): Promise<string> {
  const body = typeof s.body === "string" || s.body === undefined ? s.body : new Uint8Array(s.body);
  const r = await fetch(`${app.baseUrl}/h/${slug}${s.path}`, { method: s.method, headers: s.headers, body });
  assert.equal(r.status, 200, await r.clone().text());
  return ((await r.json()) as { id: string }).id;
}

before(async () => {
  db = await createTestDatabase("search");
  // No indexer in the app: the test indexes the captures itself, between the two runs of the cases.
  app = await startApp({ databaseUrl: db.url, env: { SEARCH_INDEX_POLL_MS: "0" } });
  process.env.DATABASE_URL = db.url;
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  ep = await createEndpoint(app.baseUrl);
  other = await createEndpoint(app.baseUrl);
  // In order, so seq follows the list above.
  for (const s of SEEDS) ids.set(s.name, await send(ep.slug, s));
  // The other endpoint gets look-alikes that must never show up.
  for (const s of SEEDS) await send(other.slug, s);
  // "a" was received three days ago.
  await sql.query("UPDATE captures SET received_at = now() - interval '3 days' WHERE id = $1", [ids.get("a")]);
});
after(async () => {
  await closeDb();
  await sql?.end();
  await app?.stop();
  await dropDatabase(db.name);
});

async function list(params: Record<string, string>, limit = 500): Promise<Response> {
  const q = new URLSearchParams({ limit: String(limit), ...params });
  return fetch(`${app.baseUrl}/api/endpoints/${ep.id}/captures?${q}`, { headers: { authorization: `Bearer ${ep.managementKey}` } });
}

/** Seed names the search returns, following nextCursor with small pages. */
async function search(params: Record<string, string>, limit = 2): Promise<string[]> {
  const byId = new Map([...ids].map(([n, id]) => [id, n]));
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const r = await list(cursor ? { ...params, cursor } : params, limit);
    assert.equal(r.status, 200, `${JSON.stringify(params)}: ${await r.clone().text()}`);
    const page = ZCapturePage.parse(await r.json());
    for (const c of page.items) out.push(byId.get(c.id) ?? `unknown ${c.id}`);
    cursor = page.nextCursor;
  } while (cursor);
  // Newest first; compare as sets in seed order.
  return out.reverse();
}

/** How many of the endpoints' captures are in the search indexes, and how many are not yet. */
async function indexedCounts(): Promise<{ indexed: number; pending: number }> {
  const { rows } = await sql.query<{ indexed: number; pending: number }>(
    `SELECT count(*) FILTER (WHERE search_indexed)::int AS indexed, count(*) FILTER (WHERE NOT search_indexed)::int AS pending
       FROM captures WHERE endpoint_id = ANY($1::uuid[])`,
    [[ep.id, other.id]],
  );
  return rows[0]!;
}

for (const state of ["waiting for the indexer", "indexed"] as const)
  describe(`search returns exactly the expected captures, ${state}`, () => {
    before(async () => {
      if (state === "indexed") {
        // The indexer's own statement, a few rows at a time as it runs, until none is left.
        while ((await indexPendingCaptures(5)) > 0);
        assert.deepEqual(await indexedCounts(), { indexed: 2 * SEEDS.length, pending: 0 });
      } else {
        assert.deepEqual(await indexedCounts(), { indexed: 0, pending: 2 * SEEDS.length });
      }
    });
    const cases: [string, string[]][] = [
      ["", ALL],
      ["method:POST", ["a", "b", "c", "d", "g", "h", "i", "j", "k"]],
      ["method:get,put", ["e", "f"]],
      ["path:/stripe", ["a", "b", "f"]],
      ["path:/stripe/events", ["a", "f"]],
      ["path:/stripe/*/evt_?", ["f"]],
      ["path:/stripe/*s", ["a", "b"]],
      ["path:/percent_5*", ["i"]],
      ["path:/percentX50", []],
      ["header:stripe-signature", ["a", "b"]],
      ["header:STRIPE-SIGNATURE", ["a", "b"]],
      ['header:"x-github-event:push"', ["c"]],
      ['header:"X-GitHub-Event:PUSH"', ["c"]],
      ['header:"x-github-event:pull*"', ["d"]],
      ['header:"x-github-event:*"', ["c", "d"]],
      ['header:"x-github-event:pu"', []],
      ['header:"stripe-signature:*v1=def"', ["b"]],
      ["refund", ["b"]],
      ["REFUND order", ["b"]],
      ['"refund for order"', ["b"]],
      ["café", ["f"]],
      ["early", ["h"]],
      ["needle", []],
      ['"100%"', ["i"]],
      ["sure_thing", ["i"]],
      ["sure_", ["i"]],
      ["content:json", ["a", "b", "c", "d", "h", "j", "k"]],
      ["content:text/plain", ["f", "i"]],
      ["type:payment_intent.succeeded", ["a"]],
      ["type:push", ["c"]],
      ["type:pull_request.opened", ["d"]],
      ["type:pull_request", []],
      ["type:PUSH", []],
      ["type:none", []],
      ["type:invoice.*", ["j"]],
      ["type:*.succeeded", ["a"]],
      ["type:*", ["a", "b", "c", "d", "j"]],
      ["type:hidden.inside.gzip", []],
      ["type:charge.refunded refund", ["b"]],
      ["type:charge.refunded amount", []],
      ["method:GET type:push", []],
      ["path:/github type:pull_request.*", ["d"]],
      ["size:>10kb", ["h"]],
      ["size:0", ["e"]],
      ["size:..20", sized(0, 20)],
      ["size:1..50", sized(1, 50)],
      ["size:>=24", sized(24, Infinity)],
      ["before:1d", ["a"]],
      ["after:1d", ALL.filter((n) => n !== "a")],
      ["after:2020-01-01 before:2d", ["a"]],
      ["method:POST path:/stripe/* content:json refund", ["b"]],
      ["header:stripe-signature amount", ["a"]],
      ["method:POST header:x-github-event after:1h", ["c", "d"]],
      ["method:GET refund", []],
    ];
    for (const [q, expected] of cases) {
      test(`q=${q || "(empty)"}`, async () => {
        assert.deepEqual(await search(q ? { q } : {}), expected);
      });
    }

    test("each filter as its own query parameter, combined with q", async () => {
      assert.deepEqual(await search({ method: "POST", path: "/stripe/*", text: "refund" }), ["b"]);
      assert.deepEqual(await search({ header: "x-github-event:push" }), ["c"]);
      assert.deepEqual(await search({ q: "content:json", size: ">10kb" }), ["h"]);
      assert.deepEqual(await search({ before: "1d", content: "json" }), ["a"]);
      assert.deepEqual(await search({ type: "push" }), ["c"]);
      assert.deepEqual(await search({ q: "path:/stripe/*", type: "*" }), ["a", "b"]);
    });

    test("list items carry the event type, its source and the body's compression", async () => {
      const page = ZCapturePage.parse(await (await list({})).json());
      const byName = new Map([...ids].map(([n, id]) => [n, page.items.find((c) => c.id === id)!]));
      assert.deepEqual(
        ["a", "c", "d", "j", "k", "e"].map((n) => [
          n,
          byName.get(n)!.eventType,
          byName.get(n)!.eventSource,
          byName.get(n)!.contentEncoding,
        ]),
        [
          ["a", "payment_intent.succeeded", "stripe", null],
          ["c", "push", "github", null],
          ["d", "pull_request.opened", "github", null],
          ["j", "invoice.paid", "standard", null],
          ["k", null, null, "gzip"],
          ["e", null, null, null],
        ],
      );
      const detail = (await (
        await fetch(`${app.baseUrl}/api/captures/${ids.get("d")}`, { headers: { authorization: `Bearer ${ep.managementKey}` } })
      ).json()) as { eventType: string; eventSource: string };
      assert.deepEqual([detail.eventType, detail.eventSource], ["pull_request.opened", "github"]);
    });
  });

describe("bad queries get a 400 that says what is wrong", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ q: "size:huge" }, /size:huge is not a size: use size:>10kb/],
    [{ q: "foo:bar" }, /Unknown filter "foo:"/],
    [{ q: 'header:"x' }, /Unclosed quote/],
    [{ after: "yesterday" }, /after:yesterday is not a time/],
    [{ method: "P O" }, /not a method list/],
  ];
  for (const [params, message] of cases) {
    test(JSON.stringify(params), async () => {
      const r = await list(params);
      assert.equal(r.status, 400);
      const body = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, "BAD_REQUEST");
      assert.match(body.error.message, message);
    });
  }
});

describe("the trigram indexes serve their terms", () => {
  const plan = async (q: string) => {
    const where = captureFilterSql(parseSearchQuery(q));
    await sql.query("BEGIN");
    try {
      await sql.query("SET LOCAL enable_seqscan = off");
      // On a table this small, the endpoint_id column of any index is the cheapest way in; the
      // term alone shows whether it can use its own index.
      const { rows } = await sql.query<{ "QUERY PLAN": string }>(`EXPLAIN SELECT id FROM captures WHERE true ${where.text}`, where.values);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    } finally {
      await sql.query("ROLLBACK");
    }
  };
  test("path", async () => {
    assert.match(await plan("path:/stripe/*"), /captures_search_path_idx/);
    assert.match(await plan("path:/stripe"), /captures_search_path_idx/);
  });
  test("header name and name:value", async () => {
    assert.match(await plan("header:stripe-signature"), /captures_search_headers_idx/);
    assert.match(await plan('header:"x-github-event:push"'), /captures_search_headers_idx/);
  });
  test("body text", async () => assert.match(await plan("refund"), /captures_search_body_idx/));
  test("and the captures not indexed yet are found through their own index beside them", async () => {
    for (const q of ["path:/stripe/*", "header:stripe-signature", "refund"]) assert.match(await plan(q), /captures_search_pending_idx/, q);
  });
  test("event type: (endpoint_id, event_type, seq)", async () => {
    const typePlan = async (q: string) => {
      const where = captureFilterSql(parseSearchQuery(q));
      await sql.query("BEGIN");
      try {
        await sql.query("SET LOCAL enable_seqscan = off");
        const { rows } = await sql.query<{ "QUERY PLAN": string }>(
          `EXPLAIN SELECT id FROM captures WHERE endpoint_id = '${ep.id}'::uuid ${where.text} ORDER BY seq DESC LIMIT 50`,
          where.values,
        );
        return rows.map((r) => r["QUERY PLAN"]).join("\n");
      } finally {
        await sql.query("ROLLBACK");
      }
    };
    assert.match(await typePlan("type:push"), /captures_endpoint_id_event_type_seq_idx/);
  });
});

describe("the search indexer", () => {
  test("indexes what capture stored, a batch at a time, and stops", async () => {
    const fresh = await createEndpoint(app.baseUrl);
    for (const s of SEEDS) await send(fresh.slug, s);
    const pending = async () =>
      (await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM captures WHERE endpoint_id = $1 AND NOT search_indexed", [fresh.id]))
        .rows[0]!.n;
    assert.equal(await pending(), SEEDS.length);
    const indexer = startSearchIndexer({
      pollMs: 20,
      batch: 3,
      maxPending: 1_000,
      captured: () => 0,
      log: (msg, e) => assert.fail(`${msg}: ${String(e)}`),
    });
    try {
      await waitFor(async () => (await pending()) === 0, "the indexer to index every capture");
    } finally {
      await indexer.stop();
    }
    // Stopped: what is captured next stays pending.
    await send(fresh.slug, SEEDS[0]!);
    assert.equal(await pending(), 1);
  });

  test("the search indexer's busy signal counts the group commits of captures stored by another process (the app's), from their NOTIFY", async () => {
    const fresh = await createEndpoint(app.baseUrl);
    const commits = captureCommits();
    try {
      // A commit before LISTEN is active is not heard: send until one is.
      await waitFor(async () => {
        await send(fresh.slug, SEEDS[0]!);
        return commits() > 0;
      }, "a commit of the app's to be counted");
    } finally {
      await closeLive();
    }
  });
});

describe("the migration's backfill names old captures as the module does", () => {
  test("every provider's sample events and the seeds, typed again by the migration's SQL", async () => {
    const samples = await createEndpoint(app.baseUrl);
    for (const provider of Object.keys(TEST_EVENTS) as TTestEventProvider[]) {
      for (const event of TEST_EVENTS[provider]) {
        const secret = provider === "standard" ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : "s3cret";
        const ev = buildSignedTestEvent(provider, { event, secret, url: `${app.baseUrl}/h/${samples.slug}/${provider}` });
        const r = await fetch(`${app.baseUrl}/h/${samples.slug}/${provider}`, { method: "POST", headers: ev.headers, body: ev.body });
        assert.equal(r.status, 200);
      }
    }
    const endpoints = [samples.id, ep.id];
    const read = async () =>
      (
        await sql.query<{ id: string; event_type: string | null; event_source: string | null; headers: [string, string][]; body: Buffer }>(
          "SELECT id::text, event_type, event_source, headers, body FROM captures WHERE endpoint_id = ANY($1::uuid[]) ORDER BY id",
          [endpoints],
        )
      ).rows;
    const written = await read();
    // What the write stored is the module's answer.
    for (const row of written) {
      const want = detectEventType({ headers: row.headers, body: row.body });
      assert.deepEqual([row.event_type, row.event_source], [want?.type ?? null, want?.source ?? null], row.id);
    }
    assert.ok(written.filter((r) => r.event_type !== null).length >= 14, "the samples have types");

    const migration = fs.readFileSync("prisma/migrations/20261206090000_capture_event_type/migration.sql", "utf8");
    const backfill = migration.slice(migration.indexOf("-- Backfill"));
    await sql.query("UPDATE captures SET event_type = NULL, event_source = NULL WHERE endpoint_id = ANY($1::uuid[])", [endpoints]);
    await sql.query("BEGIN");
    await sql.query(backfill);
    await sql.query("COMMIT");
    const again = await read();
    // The SQL leaves out Twilio's form rule only.
    const expected = written.map((r) => (r.event_source === "twilio" ? [r.id, null, null] : [r.id, r.event_type, r.event_source]));
    assert.deepEqual(
      again.map((r) => [r.id, r.event_type, r.event_source]),
      expected,
    );
  });
});
