// Endpoint aliases over real sockets: /h/<alias> (and any sub-path) captures like /h/<slug>, the
// slug keeps answering, every rule of the alias is refused with a message naming the field, an
// alias is unique (also against slugs), a repeated create with the endpoint's key is idempotent,
// concurrent creates of one alias have exactly one winner, and PATCH moves or removes the alias.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { listCaptures, updateEndpoint } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";
import { ZCreateEndpointResponse, ZEndpoint } from "@/lib/shared/validation/endpoints";

let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("alias");
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

async function post(body: unknown, headers: Record<string, string> = {}, baseUrl = app.baseUrl) {
  const r = await fetch(`${baseUrl}/api/endpoints`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

async function capture(url: string): Promise<number> {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"n":1}' });
  await r.arrayBuffer();
  return r.status;
}

describe("capture through an alias", () => {
  test("create with alias: /h/<alias>, a sub-path under it and /h/<slug> all capture for the one endpoint", async () => {
    const created = await createEndpoint(app.baseUrl, { alias: "my-stripe-dev" });
    const ep = ZCreateEndpointResponse.parse(created);
    assert.equal(ep.alias, "my-stripe-dev");
    assert.equal(ep.captureUrl, `${app.baseUrl}/h/my-stripe-dev`);
    assert.equal(ep.slugUrl, `${app.baseUrl}/h/${ep.slug}`);

    assert.equal(await capture(`${app.baseUrl}/h/my-stripe-dev`), 200);
    assert.equal(await capture(`${app.baseUrl}/h/my-stripe-dev/any/sub/path?x=1`), 200);
    assert.equal(await capture(`${app.baseUrl}/h/${ep.slug}/by-slug`), 200);
    const paths = (await listCaptures(app.baseUrl, ep)).map((c) => `${c.path}${c.query === null ? "" : `?${c.query}`}`);
    assert.deepEqual(paths.sort(), ["", "/any/sub/path?x=1", "/by-slug"]);
  });

  test("an upper-case alias is stored lower-cased; the lower-case URL captures", async () => {
    const { status, body } = await post({ alias: "  CI-Run-Hooks " });
    assert.equal(status, 201);
    assert.equal(body.alias, "ci-run-hooks");
    assert.equal(await capture(`${app.baseUrl}/h/ci-run-hooks`), 200);
  });

  test("the CLI's lookup by capture URL (GET /api/endpoints/by-slug/:name) finds the endpoint by its alias", async () => {
    const ep = await createEndpoint(app.baseUrl, { alias: "cli-forward-me" });
    const r = await fetch(`${app.baseUrl}/api/endpoints/by-slug/cli-forward-me`, {
      headers: { authorization: `Bearer ${ep.managementKey}` },
    });
    assert.equal(r.status, 200);
    assert.equal(ZEndpoint.parse(await r.json()).id, ep.id);
  });
});

describe("alias validation", () => {
  const BAD: [string, unknown, RegExp][] = [
    ["too short", "ab", /at least 3 characters/],
    ["too long", "a".repeat(49), /limited to 48 characters/],
    ["underscore", "my_hooks", /lower-case letters a–z, digits and hyphens/],
    ["slash", "my/hooks", /lower-case letters a–z, digits and hyphens/],
    ["dot", "my.hooks", /lower-case letters a–z, digits and hyphens/],
    ["non-ASCII letter", "café-hooks", /lower-case letters a–z, digits and hyphens/],
    ["leading hyphen", "-hooks", /start and end with a letter or digit/],
    ["trailing hyphen", "hooks-", /start and end with a letter or digit/],
    ["double hyphen", "my--hooks", /two hyphens in a row/],
    ["reserved word api", "api", /"api" is reserved/],
    ["reserved word admin", "Admin", /"admin" is reserved/],
    ["not text", 42, /Alias must be text/],
  ];
  for (const [what, alias, message] of BAD) {
    test(`${what}: 400 naming the alias field`, async () => {
      const { status, body } = await post({ alias });
      assert.equal(status, 400, JSON.stringify(body));
      assert.equal(body.error?.code, "BAD_REQUEST");
      assert.match(body.error!.message, /^alias: /);
      assert.match(body.error!.message, message);
    });
  }

  test("PATCH validates the same way", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" },
      body: JSON.stringify({ alias: "dashboard" }),
    });
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { error: { message: string } }).error.message, /^alias: "dashboard" is reserved/);
  });
});

describe("uniqueness and idempotent create", () => {
  test("a taken alias: 409 ALIAS_TAKEN without a key and with another endpoint's key; 200 with the same endpoint for its key", async () => {
    const first = ZCreateEndpointResponse.parse(await createEndpoint(app.baseUrl, { alias: "team-shared", name: "First" }));
    const other = await createEndpoint(app.baseUrl);

    const anonymous = await post({ alias: "team-shared" });
    assert.equal(anonymous.status, 409);
    assert.equal(anonymous.body.error?.code, "ALIAS_TAKEN");
    assert.match(anonymous.body.error!.message, /"team-shared" is taken/);
    const wrongKey = await post({ alias: "team-shared" }, { "x-hookscope-key": other.managementKey });
    assert.equal(wrongKey.status, 409);
    assert.equal(wrongKey.body.error?.code, "ALIAS_TAKEN");

    // The CI job's second run: same alias, same key, different settings in the body.
    const keyHeaders: Record<string, string>[] = [
      { "x-hookscope-key": first.managementKey },
      { authorization: `Bearer ${first.managementKey}` },
    ];
    for (const headers of keyHeaders) {
      const again = await post({ alias: "Team-Shared", name: "Second", response: { status: 202 } }, headers);
      assert.equal(again.status, 200, JSON.stringify(again.body));
      const ep = ZCreateEndpointResponse.parse(again.body);
      assert.equal(ep.id, first.id);
      assert.equal(ep.captureUrl, first.captureUrl);
      assert.equal(ep.slugUrl, first.slugUrl);
      assert.equal(ep.managementKey, first.managementKey);
      // Settings in the body are not applied to the existing endpoint.
      assert.equal(ep.name, "First");
      assert.equal(ep.response.status, 200);
    }
  });

  test("an alias may not be another endpoint's slug (create and PATCH)", async () => {
    const owner = await createEndpoint(app.baseUrl);
    const created = await post({ alias: owner.slug });
    assert.equal(created.status, 409);
    assert.equal(created.body.error?.code, "ALIAS_TAKEN");
    const ep = await createEndpoint(app.baseUrl);
    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" },
      body: JSON.stringify({ alias: owner.slug }),
    });
    assert.equal(r.status, 409);
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, "ALIAS_TAKEN");
  });

  test("concurrent creates of one alias: exactly one 201, the rest 409; concurrent repeats with its key all 200 with the same id", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => post({ alias: "race-for-it" })));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
    const winner = ZCreateEndpointResponse.parse(results.find((r) => r.status === 201)!.body);
    const repeats = await Promise.all(
      Array.from({ length: 6 }, () => post({ alias: "race-for-it" }, { "x-hookscope-key": winner.managementKey })),
    );
    for (const r of repeats) {
      assert.equal(r.status, 200);
      assert.equal(r.body.id, winner.id);
    }
    assert.equal(await capture(`${app.baseUrl}/h/race-for-it`), 200);
    assert.equal((await listCaptures(app.baseUrl, winner)).length, 1);
  });

  test("with CREATE_ENDPOINT_TOKEN as the Bearer, X-Hookscope-Key carries the endpoint's key", async () => {
    const tokenDb = await createTestDatabase("aliastoken");
    const guarded = await startApp({ databaseUrl: tokenDb.url, env: { CREATE_ENDPOINT_TOKEN: "create-token-123" } });
    try {
      const token = { authorization: "Bearer create-token-123" };
      const first = await post({ alias: "guarded-ci" }, token, guarded.baseUrl);
      assert.equal(first.status, 201);
      const key = first.body.managementKey as string;
      assert.equal((await post({ alias: "guarded-ci" }, token, guarded.baseUrl)).status, 409);
      const again = await post({ alias: "guarded-ci" }, { ...token, "x-hookscope-key": key }, guarded.baseUrl);
      assert.equal(again.status, 200);
      assert.equal(again.body.id, first.body.id);
      // The token is still required, alias or not.
      assert.equal((await post({ alias: "guarded-ci" }, { "x-hookscope-key": key }, guarded.baseUrl)).status, 401);
    } finally {
      await guarded.stop();
      await dropDatabase(tokenDb.name);
    }
  });
});

describe("changing the alias", () => {
  test("PATCH to a new alias: the old one answers 404 at once, the new one and the slug capture; null removes it", async () => {
    const ep = await createEndpoint(app.baseUrl, { alias: "before-move" });
    assert.equal(await capture(`${app.baseUrl}/h/before-move`), 200); // cached now
    assert.equal(await capture(`${app.baseUrl}/h/after-move`), 404); // a cached miss

    const moved = await updateEndpoint(app.baseUrl, ep, { alias: "after-move" });
    assert.equal(moved.alias, "after-move");
    assert.equal(moved.captureUrl, `${app.baseUrl}/h/after-move`);
    assert.equal(await capture(`${app.baseUrl}/h/before-move`), 404);
    assert.equal(await capture(`${app.baseUrl}/h/after-move/x`), 200);
    assert.equal(await capture(`${app.baseUrl}/h/${ep.slug}`), 200);

    // The freed alias can be taken by another endpoint.
    assert.equal((await post({ alias: "before-move" })).status, 201);

    const removed = await updateEndpoint(app.baseUrl, ep, { alias: null });
    assert.equal(removed.alias, null);
    assert.equal(removed.captureUrl, `${app.baseUrl}/h/${ep.slug}`);
    assert.equal(removed.slugUrl, removed.captureUrl);
    assert.equal(await capture(`${app.baseUrl}/h/after-move`), 404);
    assert.equal(await capture(`${app.baseUrl}/h/${ep.slug}`), 200);
    assert.equal((await listCaptures(app.baseUrl, ep)).length, 4);
  });

  test("PATCH to an alias another endpoint has: 409 ALIAS_TAKEN, nothing changes", async () => {
    await createEndpoint(app.baseUrl, { alias: "already-mine" });
    const ep = await createEndpoint(app.baseUrl, { alias: "keep-this-one" });
    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" },
      body: JSON.stringify({ alias: "already-mine", name: "renamed" }),
    });
    assert.equal(r.status, 409);
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, "ALIAS_TAKEN");
    assert.equal(await capture(`${app.baseUrl}/h/keep-this-one`), 200);
  });
});
