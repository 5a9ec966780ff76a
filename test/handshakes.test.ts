// Provider handshakes over real sockets: each verification request gets the answer its provider
// documents (lib/shared/capture/handshakes.ts), is stored like any capture, and the capture's
// "response we sent" names the handshake and holds the same body; `handshakes: false` gives the
// endpoint's own answer instead, and captures stored before the change keep theirs.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { getCapture, updateEndpoint } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";

let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("handshakes");
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

const CASES: {
  provider: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  expect: { body: string; contentType: string | null; header?: [string, string] };
}[] = [
  {
    provider: "Slack url_verification",
    method: "POST",
    path: "/slack/events",
    headers: { "Content-Type": "application/json" },
    body: '{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}',
    expect: {
      body: '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}',
      contentType: "application/json; charset=utf-8",
    },
  },
  {
    provider: "Meta hub.challenge",
    method: "GET",
    path: "/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock",
    expect: { body: "1158201444", contentType: "text/plain; charset=utf-8" },
  },
  {
    provider: "Microsoft Graph validationToken",
    method: "POST",
    path: "/graph?validationToken=Validation%3a+Testing+client+application+reachability",
    headers: { "Content-Type": "text/plain; charset=utf-8" },
    body: "",
    expect: { body: "Validation: Testing client application reachability", contentType: "text/plain; charset=utf-8" },
  },
  {
    provider: "Dropbox challenge",
    method: "GET",
    path: "/dropbox?challenge=mPLg0yQbUcSYAvdX4uHk",
    expect: { body: "mPLg0yQbUcSYAvdX4uHk", contentType: "text/plain; charset=utf-8" },
  },
  {
    provider: "Twitch EventSub webhook_callback_verification",
    method: "POST",
    path: "/twitch",
    headers: { "Content-Type": "application/json", "Twitch-Eventsub-Message-Type": "webhook_callback_verification" },
    body: '{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"type":"channel.follow"}}',
    expect: { body: "pogchamp-kappa-360noscope-vohiyo", contentType: "text/plain; charset=utf-8" },
  },
  {
    provider: "Asana X-Hook-Secret",
    method: "POST",
    path: "/asana",
    headers: { "X-Hook-Secret": "b537207f20cbfa02357cf448134da559" },
    body: "",
    expect: { body: "", contentType: null, header: ["x-hook-secret", "b537207f20cbfa02357cf448134da559"] },
  },
  {
    provider: "Okta verification",
    method: "GET",
    path: "/okta",
    headers: { "X-Okta-Verification-Challenge": "VWgsr8k6QuzaCSNKEf4Iwg55Es9qLGe-BUE9tN6B" },
    expect: { body: '{"verification":"VWgsr8k6QuzaCSNKEf4Iwg55Es9qLGe-BUE9tN6B"}', contentType: "application/json; charset=utf-8" },
  },
];

test("each provider's verification request gets its documented answer, is stored, and the capture names the handshake", async () => {
  // A configured answer that would fail every handshake: the handshake must win over it.
  const ep = await createEndpoint(app.baseUrl, { response: { status: 503, body: "down for maintenance", delayMs: 2000 } });
  for (const c of CASES) {
    const started = performance.now();
    const r = await fetch(`${app.baseUrl}/h/${ep.slug}${c.path}`, { method: c.method, headers: c.headers, body: c.body });
    const body = await r.text();
    assert.equal(r.status, 200, c.provider);
    assert.equal(body, c.expect.body, c.provider);
    assert.equal(r.headers.get("content-type"), c.expect.contentType, c.provider);
    assert.ok(performance.now() - started < 2000, `${c.provider}: answered without the configured delay`);
    if (c.expect.header) assert.equal(r.headers.get(c.expect.header[0]), c.expect.header[1], c.provider);
    assert.equal(r.headers.get("content-security-policy")?.includes("sandbox"), true, `${c.provider}: inert like every answer`);
    const id = r.headers.get("x-hookscope-capture-id");
    assert.ok(id, `${c.provider}: stored`);
    const capture = await getCapture(app.baseUrl, ep, id);
    assert.equal(capture.response?.handshake, c.provider);
    assert.equal(capture.response?.status, 200);
    assert.equal(capture.response?.body ?? "", c.expect.body, `${c.provider}: the rebuilt answer is the one sent`);
  }
});

test("handshakes: false answers verification requests with the endpoint's own answer; earlier captures keep the handshake", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const slack = () =>
    fetch(`${app.baseUrl}/h/${ep.slug}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"type":"url_verification","challenge":"c1"}',
    });
  const before = await slack();
  assert.equal(await before.text(), '{"challenge":"c1"}');
  const updated = await updateEndpoint(app.baseUrl, ep, { response: { handshakes: false } });
  assert.equal(updated.response.handshakes, false);
  const afterOff = await slack();
  const id = afterOff.headers.get("x-hookscope-capture-id")!;
  assert.deepEqual(await afterOff.json(), { ok: true, id });
  assert.equal((await getCapture(app.baseUrl, ep, id)).response?.handshake, null);
  const earlier = await getCapture(app.baseUrl, ep, before.headers.get("x-hookscope-capture-id")!);
  assert.equal(earlier.response?.handshake, "Slack url_verification");
  assert.equal(earlier.response?.body, '{"challenge":"c1"}');
});

test("handshakes must be a boolean: 400 naming the field", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${ep.managementKey}` },
    body: JSON.stringify({ response: { handshakes: "yes" } }),
  });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /handshakes must be true or false/);
});

async function addSecret(ep: { id: string; managementKey: string }, scheme: string, secret: string): Promise<void> {
  const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/secrets`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${ep.managementKey}` },
    body: JSON.stringify({ label: scheme, scheme, secret }),
  });
  assert.equal(r.status, 201, await r.clone().text());
}

// Zoom's documented request (https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint) and
// X's CRC (https://docs.x.com/x-api/webhooks/introduction): neither page gives the secret behind its example
// token, so the expected HMACs are computed here with node:crypto, as each page describes them.
const ZOOM_SECRET = "zoom-secret-token-0123456789";
const ZOOM_BODY = '{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}';
const X_SECRET = "x-consumer-secret-abcdef";
const CRC = "9b4507b3-9040-4669-9ddc-5cb5b08e7bc2";

test("Zoom endpoint.url_validation and X's CRC are answered with the HMAC of the endpoint's secret, byte for byte; stored and shown", async () => {
  const ep = await createEndpoint(app.baseUrl, { response: { status: 503, body: "down" } });
  await addSecret(ep, "zoom", ZOOM_SECRET);
  await addSecret(ep, "x", X_SECRET);
  const zoom = await fetch(`${app.baseUrl}/h/${ep.slug}/zoom`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: ZOOM_BODY,
  });
  const encrypted = createHmac("sha256", ZOOM_SECRET).update("qgg8vlvZRS6UYooatFL8Aw").digest("hex");
  const zoomExpected = `{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"${encrypted}"}`;
  assert.equal(zoom.status, 200);
  assert.equal(zoom.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(await zoom.text(), zoomExpected);

  const x = await fetch(`${app.baseUrl}/h/${ep.slug}/x?crc_token=${CRC}&nonce=MTUzOTk2NjE0Mzc2MQ`);
  const xExpected = `{"response_token":"sha256=${createHmac("sha256", X_SECRET).update(CRC).digest("base64")}"}`;
  assert.equal(x.status, 200);
  assert.equal(x.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(await x.text(), xExpected);

  for (const [r, name, body] of [
    [zoom, "Zoom endpoint.url_validation", zoomExpected],
    [x, "X CRC", xExpected],
  ] as const) {
    const c = await getCapture(app.baseUrl, ep, r.headers.get("x-hookscope-capture-id")!);
    assert.equal(c.response?.handshake, name);
    assert.equal(c.response?.body, body, `${name}: the detail shows the token sent`);
  }
});

test("without a Zoom or X secret the handshake is not answered as if valid: the endpoint's own answer goes", async () => {
  const ep = await createEndpoint(app.baseUrl, { response: { status: 202, body: "own answer" } });
  const zoom = await fetch(`${app.baseUrl}/h/${ep.slug}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: ZOOM_BODY,
  });
  assert.equal(zoom.status, 202);
  assert.equal(await zoom.text(), "own answer");
  const x = await fetch(`${app.baseUrl}/h/${ep.slug}?crc_token=${CRC}`);
  assert.equal(x.status, 202);
  assert.equal(await x.text(), "own answer");
  const c = await getCapture(app.baseUrl, ep, x.headers.get("x-hookscope-capture-id")!);
  assert.equal(c.response?.handshake, null);
});
