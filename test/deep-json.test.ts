// Deeply nested JSON against the real server: a capture whose JSON nests up to 100,000 levels,
// sent with a wrong signature on an endpoint that has a signing secret, must not break anything
// that reads captures. Every walk over captured content is bounded or iterative; a recursive one
// overflows the stack (`RangeError: Maximum call stack size exceeded`) and its route answers 500
// for everyone who lists the endpoint. Property-based (fast-check): depth, shape and content type
// vary; 5,000 and 100,000 levels are always among the cases.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { SseClient } from "./support/sse";

let app: RunningApp;
let db: { name: string; url: string };
let dataDir: string;

before(async () => {
  db = await createTestDatabase("deep");
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-deep-"));
  app = await startApp({ databaseUrl: db.url, env: { DATA_DIR: dataDir } });
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Shape = "array" | "object" | "mixed";

/** JSON text nested `depth` levels deep, built without recursion. */
function deepJson(depth: number, shape: Shape): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    const arr = shape === "array" || (shape === "mixed" && i % 2 === 0);
    open.push(arr ? "[" : '{"k":');
    close.push(arr ? "]" : "}");
  }
  return `${open.join("")}"deepneedle"${close.reverse().join("")}`;
}

/** A fresh endpoint with a Stripe signing secret and an endpoint share link (so exports hold one capture). */
async function signedEndpoint() {
  const ep = await createEndpoint(app.baseUrl);
  const auth = { authorization: `Bearer ${ep.managementKey}` };
  const post = async (p: string, body: unknown) => {
    const r = await fetch(`${app.baseUrl}${p}`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    assert.equal(r.status, 201, text);
    return JSON.parse(text) as { token?: string };
  };
  await post(`/api/endpoints/${ep.id}/secrets`, { label: "Stripe", scheme: "stripe", secret: "whsec_deepjsontest" });
  const share = await post(`/api/endpoints/${ep.id}/shares`, {});
  return { ep, auth, token: share.token! };
}

test("property: JSON nested up to 100,000 deep with a wrong signature breaks no API that reads captures", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 100_000 }),
      fc.constantFrom<Shape>("array", "object", "mixed"),
      fc.constantFrom("application/json", "text/plain", "application/vnd.api+json"),
      async (depth, shape, contentType) => {
        const { ep, auth, token } = await signedEndpoint();
        const t = Math.floor(Date.now() / 1000);
        const r = await fetch(`${ep.captureUrl}/deep`, {
          method: "POST",
          headers: { "content-type": contentType, "stripe-signature": `t=${t},v1=${"0".repeat(64)}` },
          body: deepJson(depth, shape),
        });
        assert.equal(r.status, 200, await r.clone().text());
        const { id } = (await r.json()) as { id: string };

        /** Every read answers 200 (a 5xx is the failure this guards against). */
        const get = async (p: string, headers: Record<string, string> = auth) => {
          const res = await fetch(`${app.baseUrl}${p}`, { headers });
          const text = await res.text();
          assert.equal(res.status, 200, `GET ${p}: ${res.status} ${text.slice(0, 300)}`);
          return text;
        };
        const list = JSON.parse(await get(`/api/endpoints/${ep.id}/captures?limit=5`)) as { items: { id: string }[] };
        assert.equal(list.items[0]!.id, id);
        // Body search reads the first 8 KiB of a body, so the needle is not always found: the search must still answer.
        await get(`/api/endpoints/${ep.id}/captures?limit=5&q=deepneedle`);
        const detail = JSON.parse(await get(`/api/captures/${id}`)) as { seq: number };
        await get(`/api/captures/${id}/body`);
        assert.equal((JSON.parse(await get(`/api/captures/${id}/signature`)) as { status: string }).status, "invalid");
        await get(`/api/endpoints/${ep.id}/signatures?ids=${id}`);
        await get(`/api/captures/${id}/deliveries`);
        await get(`/api/endpoints/${ep.id}/captures/wait?after=0&timeout=1`);
        assert.ok((await get(`/api/endpoints/${ep.id}/export?format=ndjson`)).includes(id));
        assert.ok((await get(`/api/endpoints/${ep.id}/export?format=har`)).includes(id));
        await get(`/api/s/${token}`, {});
        await get(`/api/s/${token}/captures?limit=5`, {});
        await get(`/api/s/${token}/captures/${id}`, {});
        await get(`/api/s/${token}/captures/${id}/body`, {});
        await get(`/s/${token}`, {});
        // The smee channel parses JSON bodies: the message for this capture still arrives whole.
        const smee = await SseClient.open(`${app.baseUrl}/api/endpoints/${ep.id}/smee`, {
          ...auth,
          "last-event-id": String(detail.seq - 1),
        });
        try {
          assert.equal(smee.status, 200);
          await smee.waitFor((c) => c.events.some((e) => e.id === String(detail.seq) && e.event === "message"), "the smee message");
          const data = smee.events.find((e) => e.id === String(detail.seq))!.data;
          const msg = JSON.parse(data) as { body: unknown }; // one valid JSON message (JSON.parse does not recurse)
          assert.equal(typeof msg.body, "object");
          // JSON bodies go in whole; smee-client, like smee.io, gets {} for other types.
          assert.equal(data.includes('"deepneedle"'), contentType !== "text/plain");
        } finally {
          smee.close();
        }
      },
    ),
    {
      numRuns: 6,
      examples: [
        [5_000, "array", "application/json"],
        [100_000, "object", "application/json"],
        [100_000, "mixed", "text/plain"],
      ],
    },
  );
});
