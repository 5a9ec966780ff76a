// The capture detail: overview, headers in order, highlighted/hex/raw bodies, decoding with a
// cap, copy as cURL (run for real), delete, and hostile content (scripts, bidi characters,
// deep and huge JSON) that must stay inert text and never freeze the tab.
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import type { Page } from "@playwright/test";
import { createEndpointFromHome, expect, row, rows, screenshot, send, sendJson, test } from "./fixtures";

/** What the page last put on the clipboard. */
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

const runBash = (cmd: string, cwd?: string) =>
  new Promise<void>((resolve, reject) => execFile("bash", ["-c", cmd], { cwd }, (err) => (err ? reject(err) : resolve())));

interface TStoredCapture {
  method: string;
  path: string;
  query: string | null;
  contentType: string | null;
  headers: [string, string][];
  bodyUrl: string;
  /** The exact bytes, from bodyUrl (the detail carries a preview). */
  bytes: Buffer;
}

/** The endpoint's captures as the API stores them, newest first. */
async function capturesOf(page: Page, endpointId: string): Promise<TStoredCapture[]> {
  const list = (await (await page.request.get(`/api/endpoints/${endpointId}/captures`)).json()) as { items: { id: string }[] };
  return Promise.all(
    list.items.map(async (c) => {
      const detail = (await (await page.request.get(`/api/captures/${c.id}`)).json()) as Omit<TStoredCapture, "bytes">;
      return { ...detail, bytes: await (await page.request.get(detail.bodyUrl)).body() };
    }),
  );
}

/** A string whose characters are the UTF-8 bytes of `s`: node's http client writes it byte for byte. */
const utf8Bytes = (s: string) => Buffer.from(s, "utf8").toString("latin1");

test("captures appear live; the detail shows method, headers in original order and case, and highlighted JSON; the permalink reopens it", async ({
  page,
}) => {
  const { id, captureUrl } = await createEndpointFromHome(page);

  await send(captureUrl, { method: "GET", path: "/orders?status=paid&page=2" });
  await expect(rows(page)).toHaveCount(1);
  await sendJson(
    captureUrl,
    { id: "evt_1", type: "payment_intent.succeeded", data: { amount: 4200, currency: "eur", paid: true, refunds: null, nul: "a\u0000b" } },
    {
      path: "/stripe/webhook",
      headers: [
        ["X-Request-Id", "req_123"],
        ["x-lower-case", "kept lower"],
        ["X-Dup", "first"],
        ["X-Dup", "second"],
        ["Stripe-Signature", "t=1,v1=abc"],
        // Non-ASCII bytes: E9 and FF are not UTF-8 (node's client writes this string byte for byte);
        // the second value is the UTF-8 bytes of "café".
        ["X-Latin1", "caf\u00e9 \u00ff"],
        ["X-Utf8", utf8Bytes("café")],
      ],
    },
  );
  await send(captureUrl, { method: "PUT", path: "/notes", headers: [["Content-Type", "text/plain"]], body: "plain text" });

  // All three arrived without a reload, newest first.
  await expect(rows(page)).toHaveCount(3);
  await expect(rows(page).nth(0)).toHaveAttribute("data-seq", "3");
  await expect(row(page, 1)).toContainText("/orders?status=paid&page=2");

  await row(page, 1).click();
  const detail = page.getByTestId("capture-detail");
  await expect(detail.getByTestId("detail-method")).toHaveText("GET");
  const query = detail.getByTestId("query-table").getByTestId("query-row");
  await expect(query).toHaveCount(2);
  await expect(query.nth(0)).toContainText("status");
  await expect(query.nth(0)).toContainText("paid");
  await expect(detail.getByTestId("body-empty")).toBeVisible();

  await row(page, 2).click();
  await expect(row(page, 2)).toHaveAttribute("aria-selected", "true");
  const captureId = await row(page, 2).getAttribute("data-capture-id");
  await expect(page).toHaveURL(new RegExp(`/endpoints/${id}/captures/${captureId}$`));
  await expect(detail).toHaveAttribute("data-capture-id", captureId!);
  await expect(detail.getByTestId("detail-method")).toHaveText("POST");
  await expect(detail.getByTestId("detail-url")).toHaveText(`${captureUrl}/stripe/webhook`);
  await expect(detail.getByTestId("detail-response")).toContainText("200");
  await expect(detail.getByTestId("detail-remote")).toContainText("127.0.0.1");

  // Headers exactly as sent: order, case and repeats (node's client adds Host first, then
  // Connection and Content-Length after ours).
  const headerNames = await detail.getByTestId("header-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-header-name")));
  expect(headerNames.slice(0, 7)).toEqual(["Host", "Content-Type", "X-Request-Id", "x-lower-case", "X-Dup", "X-Dup", "Stripe-Signature"]);
  await expect(detail.getByTestId("header-row").nth(4)).toContainText("first");
  await expect(detail.getByTestId("header-row").nth(5)).toContainText("second");
  // Bytes that are not UTF-8 show one character per byte, flagged; UTF-8 bytes show as the text they encode.
  const latin1 = detail.locator('[data-testid="header-row"][data-header-name="X-Latin1"]');
  await expect(latin1).toContainText("caf\u00e9 \u00ff");
  await expect(latin1).toContainText("(not UTF-8)");
  const utf8 = detail.locator('[data-testid="header-row"][data-header-name="X-Utf8"]');
  await expect(utf8).toContainText("café");
  await expect(utf8).not.toContainText("(not UTF-8)");

  // The JSON body opens as a tree; its source (Formatted) is pretty-printed and highlighted (tokens
  // carry theme colours); \u0000 stays an escape.
  await expect(detail.getByTestId("body-mode-tree")).toHaveAttribute("aria-pressed", "true");
  await expect(detail.locator('[data-testid="tree-row"][data-path=".type"]')).toContainText('"type": "payment_intent.succeeded"');
  await detail.getByTestId("body-mode-formatted").click();
  const highlighted = detail.getByTestId("body-highlighted");
  await expect(highlighted).toHaveAttribute("data-highlighted", "true");
  await expect(highlighted).toContainText('"type": "payment_intent.succeeded"');
  await expect(highlighted).toContainText('"nul": "a\\u0000b"');
  expect(await highlighted.locator("span[style*='--shiki-light']").count()).toBeGreaterThan(10);
  await screenshot(page, "dashboard-json");

  // Raw shows the body as sent (one line).
  await expect(detail.getByRole("button", { name: "Formatted" })).toHaveAttribute("aria-pressed", "true");
  await detail.getByTestId("body-mode-raw").click();
  await expect(detail.getByRole("button", { name: "Raw" })).toHaveAttribute("aria-pressed", "true");
  await expect(detail.getByTestId("body-raw")).toContainText('{"id":"evt_1","type":"payment_intent.succeeded"');

  // A permalink opens the same capture, selected.
  await page.reload();
  await expect(row(page, 2)).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("detail-method")).toHaveText("POST");
});

test("a binary body is shown as a hex dump; its cURL command, run beside the downloaded body, resends it byte for byte", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { id, captureUrl } = await createEndpointFromHome(page);
  const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) % 256));
  await send(captureUrl, { path: "/upload.bin", headers: [["Content-Type", "application/octet-stream"]], body: bytes });
  await row(page, 1).click();
  const hex = page.getByTestId("body-hex");
  await expect(hex).toBeVisible();
  // Bytes 0..3 are 00 07 0e 15; the second line starts at offset 0x10 with byte 16*7 % 256 = 0x70.
  await expect(hex).toContainText("00000000  00 07 0e 15");
  await expect(hex).toContainText("00000010  70 77 7e 85");
  await expect(page.getByTestId("curl-file-note")).toBeVisible();
  await screenshot(page, "dashboard-binary");

  // The command reads the body from the file the note's link downloads, under the same name.
  await page.getByTestId("copy-curl").click();
  await expect.poll(() => clipboard(page)).toMatch(/--data-binary '@[^']+\.bin'/);
  const cmd = await clipboard(page);
  const fileName = /--data-binary '@([^']+)'/.exec(cmd)![1]!;
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("curl-file-note").getByRole("link").click()]);
  expect(download.suggestedFilename()).toBe(fileName);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hs-e2e-curl-"));
  try {
    await download.saveAs(path.join(dir, fileName));
    await runBash(`${cmd} -s -o /dev/null`, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await expect(rows(page)).toHaveCount(2);
  const [again, original] = await capturesOf(page, id);
  expect(again!.bytes).toEqual(bytes);
  expect(again!.bytes).toEqual(original!.bytes);
  expect(again!.path).toBe("/upload.bin");
});

test("copy buttons: capture URL, request URL, a header value, the body, and the request as fetch (run for real) and HTTPie", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { id, captureUrl } = await createEndpointFromHome(page);
  const body = JSON.stringify({ copy: "me", quote: "it's", n: 1 });
  await send(captureUrl, {
    method: "PUT",
    path: "/copy/me?x=1&y=two",
    headers: [
      ["Content-Type", "application/json"],
      ["X-Copy-Me", "value with spaces; and 'quotes'"],
    ],
    body,
  });
  await row(page, 1).click();
  const detail = page.getByTestId("capture-detail");
  await expect(detail.getByTestId("detail-method")).toHaveText("PUT");

  await page.getByTestId("copy-capture-url").click();
  await expect.poll(() => clipboard(page)).toBe(captureUrl);
  await detail.getByTestId("copy-request-url").click();
  await expect.poll(() => clipboard(page)).toBe(`${captureUrl}/copy/me?x=1&y=two`);
  await detail.locator('[data-testid="header-row"][data-header-name="X-Copy-Me"]').getByTestId("copy-header-value").click();
  await expect.poll(() => clipboard(page)).toBe("value with spaces; and 'quotes'");
  await detail.getByTestId("copy-body").click();
  await expect.poll(() => clipboard(page)).toBe(body);
  await expect(page.getByRole("status").filter({ hasText: "Copied body" })).toBeVisible();

  await detail.getByTestId("copy-httpie").click();
  await expect.poll(() => clipboard(page)).toMatch(/^http --ignore-stdin --path-as-is --raw=/);
  const httpie = await clipboard(page);
  expect(httpie).toContain(`-- 'PUT' '${captureUrl}/copy/me?x=1&y=two'`);
  expect(httpie).toContain(`'X-Copy-Me:value with spaces; and '\\''quotes'\\'''`);

  // The fetch code runs as is (Node's fetch here) and the capture URL gets the same request again.
  await detail.getByTestId("copy-fetch").click();
  await expect.poll(() => clipboard(page)).toContain("await fetch(");
  const code = await clipboard(page);
  await (new Function(`return (async () => { ${code} })();`) as () => Promise<void>)();
  await expect(rows(page)).toHaveCount(2);
  const [again, original] = await capturesOf(page, id);
  for (const key of ["method", "path", "query", "contentType"] as const) expect(again![key]).toEqual(original![key]);
  expect(again!.bytes).toEqual(original!.bytes);
  expect(again!.headers.find(([k]) => k.toLowerCase() === "x-copy-me")?.[1]).toBe("value with spaces; and 'quotes'");
});

test("forms are parsed into fields and files with sizes", async ({ page }) => {
  const { captureUrl } = await createEndpointFromHome(page);
  await send(captureUrl, {
    path: "/form",
    headers: [["Content-Type", "application/x-www-form-urlencoded"]],
    body: "name=Ada+Lovelace&tags=a&tags=b&note=%E2%9C%93",
  });
  const boundary = "----hs42";
  const multipart = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhello\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  await send(captureUrl, { path: "/upload", headers: [["Content-Type", `multipart/form-data; boundary=${boundary}`]], body: multipart });
  await expect(rows(page)).toHaveCount(2);

  await row(page, 1).click();
  const fields = page.getByTestId("body-form-fields").getByTestId("form-field");
  await expect(fields).toHaveCount(4);
  await expect(fields.nth(0)).toContainText("Ada Lovelace");
  await expect(fields.nth(3)).toContainText("✓");

  await row(page, 2).click();
  const parts = page.getByTestId("body-form-fields").getByTestId("form-field");
  await expect(parts).toHaveCount(2);
  await expect(parts.nth(0)).toContainText("hello");
  await expect(parts.nth(1)).toHaveAttribute("data-file", "true");
  await expect(parts.nth(1)).toContainText("a.png");
  await expect(parts.nth(1)).toContainText("11 B");
});

test("captured HTML, SVG and script payloads in body, path, query and headers are shown as text and run nothing", async ({
  page,
  dialogs,
}) => {
  const { captureUrl } = await createEndpointFromHome(page);
  const SCRIPT = "<script>window.__pwned=1</script>";
  const IMG = "<img src=x onerror=alert(1)>";
  const SVG = "<svg onload=alert(1)>";

  await send(captureUrl, { path: "/html", headers: [["Content-Type", "text/html"]], body: `<h1>hi</h1>${SCRIPT}${IMG}` });
  await send(captureUrl, {
    path: "/svg",
    headers: [["Content-Type", "image/svg+xml"]],
    body: `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>window.__pwned=1</script></svg>`,
  });
  await send(captureUrl, { method: "GET", path: `/${SCRIPT}?q=<img/src=x/onerror=alert(1)>` });
  await send(captureUrl, {
    path: "/headers",
    headers: [
      ["Content-Type", "application/json"],
      ["X-Evil", SVG],
      ["X-Evil-2", IMG],
    ],
    body: JSON.stringify({ html: SCRIPT + IMG }),
  });
  // Live rows render these as they arrive.
  await expect(rows(page)).toHaveCount(4);

  // The path and query show literally in the list.
  await expect(row(page, 3)).toContainText(`/${SCRIPT}?q=<img/src=x/onerror=alert(1)>`);

  await row(page, 1).click();
  await expect(page.getByTestId("body-highlighted")).toHaveAttribute("data-highlighted", "true");
  await expect(page.getByTestId("body-viewer")).toContainText(SCRIPT);
  await expect(page.getByTestId("body-viewer")).toContainText(IMG);
  await row(page, 2).click();
  await expect(page.getByTestId("body-highlighted")).toHaveAttribute("data-highlighted", "true");
  await expect(page.getByTestId("body-viewer")).toContainText("<svg xmlns=");
  await row(page, 3).click();
  await expect(page.getByTestId("detail-url")).toContainText(SCRIPT);
  await expect(page.getByTestId("query-table")).toContainText("<img/src=x/onerror=alert(1)>");
  await row(page, 4).click();
  await expect(page.getByTestId("capture-detail")).toContainText(SVG);
  await expect(page.getByTestId("capture-detail")).toContainText(IMG);
  await expect(page.getByTestId("body-tree")).toContainText("<script>");
  await page.getByTestId("body-mode-formatted").click();
  await expect(page.getByTestId("body-highlighted")).toContainText("<script>");
  for (const mode of ["raw", "hex"] as const) await page.getByTestId(`body-mode-${mode}`).click();

  // Nothing became markup, nothing ran.
  await expect(
    page.locator(
      "[data-pane] script, aside script, [data-pane] img, aside img, [data-pane] svg[onload], [data-pane] iframe, [data-pane] h1",
    ),
  ).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
});

test("bidi overrides and zero-width characters in path, query, headers and body are shown as visible escapes", async ({ page }) => {
  const { captureUrl } = await createEndpointFromHome(page);
  // A request line may not carry raw non-ASCII bytes (node answers 400), so the path and query hold
  // them percent-encoded; header values and bodies carry the raw UTF-8 bytes.
  await send(captureUrl, {
    path: "/invoice%E2%80%AEfdp.exe?name=abc%E2%80%AEdcba&zw=a%E2%80%8Bb",
    headers: [
      ["Content-Type", "application/json"],
      ["X-Trick", utf8Bytes("admin\u200B\u2066user\u2069")],
    ],
    body: JSON.stringify({ name: "abc\u202Edcba", zw: "a\u200Db\uFEFF" }),
  });
  await row(page, 1).click();
  const detail = page.getByTestId("capture-detail");
  // The path shows as sent (percent-encoded); the decoded query values, the header value and the
  // highlighted body show each hidden character as an escape.
  await expect(row(page, 1)).toContainText("/invoice%E2%80%AEfdp.exe");
  await expect(detail.getByTestId("detail-url")).toContainText("/invoice%E2%80%AEfdp.exe");
  const query = detail.getByTestId("query-table");
  await expect(query.locator('[data-escape="\\\\u202E"]')).toHaveCount(1);
  await expect(query).toContainText("abc\\u202Edcba");
  await expect(query).toContainText("a\\u200Bb");
  const trick = detail.locator('[data-testid="header-row"][data-header-name="X-Trick"]');
  await expect(trick).toContainText("admin\\u200B\\u2066user\\u2069");
  await expect(detail.getByTestId("body-tree")).toContainText('"abc\\u202Edcba"');
  await expect(detail.getByTestId("body-tree")).toContainText('"a\\u200Db\\uFEFF"');
  await detail.getByTestId("body-mode-formatted").click();
  await expect(detail.getByTestId("body-highlighted")).toHaveAttribute("data-highlighted", "true");
  await expect(detail.getByTestId("body-highlighted")).toContainText('"abc\\u202Edcba"');
  await expect(detail.getByTestId("body-highlighted")).toContainText('"a\\u200Db\\uFEFF"');
  // No raw override or zero-width character is left anywhere in the rendered text.
  const text = await page.locator("body").innerText();
  expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B-\u200D\uFEFF]/);
});

test("an endpoint name with bidi and zero-width characters shows them as escapes: header, title, home list and share page", async ({
  page,
}) => {
  const { id } = await createEndpointFromHome(page);
  const name = "pay\u202Elive\u2066 x\u200B";
  const r = await page.request.patch(`/api/endpoints/${id}`, { data: { name } });
  expect(r.status()).toBe(200);
  await page.reload();
  const shown = page.getByTestId("endpoint-name");
  await expect(shown).toContainText("pay\\u202Elive\\u2066 x\\u200B");
  await expect(shown.locator('[data-escape="\\\\u202E"]')).toHaveCount(1);
  await expect(page).toHaveTitle("pay\\u202Elive\\u2066 x\\u200B · Hookscope");
  await page.goto("/");
  await expect(page.locator("body")).toContainText("pay\\u202Elive\\u2066 x\\u200B");
  const share = (await (await page.request.post(`/api/endpoints/${id}/shares`, { data: {} })).json()) as { url: string };
  await page.goto(share.url);
  await expect(page.getByTestId("shared-endpoint-name")).toContainText("pay\\u202Elive\\u2066 x\\u200B");
  await expect(page).toHaveTitle("pay\\u202Elive\\u2066 x\\u200B (shared) · Hookscope");
  expect(await page.locator("body").innerText()).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B-\u200D]/);
});

test("trailer fields sent after a chunked body are shown under Trailers", async ({ page }) => {
  const { captureUrl } = await createEndpointFromHome(page);
  const u = new URL(captureUrl);
  await new Promise<void>((resolve, reject) => {
    const req = http.request({
      host: u.hostname,
      port: u.port,
      method: "POST",
      path: `${u.pathname}/trailers`,
      headers: { Trailer: "X-Checksum" },
    });
    req.on("response", (res) => res.resume().on("end", resolve));
    req.on("error", reject);
    req.write("chunked body");
    req.addTrailers([["X-Checksum", "sha256=\u00e9abc"]]);
    req.end();
  });
  await row(page, 1).click();
  const trailers = page.getByTestId("capture-detail").getByTestId("trailers-table");
  await expect(trailers.getByTestId("header-row")).toHaveCount(1);
  await expect(trailers.locator('[data-testid="header-row"][data-header-name="X-Checksum"]')).toContainText("sha256=\u00e9abc");
});

test("deep, huge and NUL-laden JSON falls back to raw text without freezing the tab", async ({ page }) => {
  test.setTimeout(180_000);
  const { captureUrl } = await createEndpointFromHome(page);
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const huge = JSON.stringify({ items: Array.from({ length: 90_000 }, (_, i) => ({ i, s: "x".repeat(40) })) });
  expect(huge.length).toBeGreaterThan(5 * 1024 * 1024);
  await send(captureUrl, { path: "/deep", headers: [["Content-Type", "application/json"]], body: deep });
  await send(captureUrl, { path: "/huge", headers: [["Content-Type", "application/json"]], body: huge });
  await send(captureUrl, { path: "/nul", headers: [["Content-Type", "application/json"]], body: '{"a":"x\u0000y\u0000"}' });
  await expect(rows(page)).toHaveCount(3);

  /** Selecting a row shows it, and the next click is handled within a short bound (the tab is not frozen). */
  const openAndProbe = async (seq: number) => {
    await row(page, seq).click();
    await expect(page.getByTestId("capture-detail")).toHaveAttribute(
      "data-capture-id",
      (await row(page, seq).getAttribute("data-capture-id"))!,
    );
    const started = Date.now();
    await page.getByTestId("body-mode-hex").click({ timeout: 5_000 });
    await expect(page.getByTestId("body-hex")).toBeVisible({ timeout: 5_000 });
    await page.getByTestId("body-mode-formatted").click({ timeout: 5_000 });
    return Date.now() - started;
  };

  const deepMs = await openAndProbe(1);
  expect(deepMs).toBeLessThan(5_000);
  await expect(page.getByTestId("body-fallback-notice")).toContainText("nested deeper than");
  await expect(page.getByTestId("body-raw")).toContainText("[[[[[[[[");

  const hugeMs = await openAndProbe(2);
  expect(hugeMs).toBeLessThan(5_000);
  // Over the detail's 256 KiB preview: the whole body loads when asked.
  await expect(page.getByTestId("body-fallback-notice")).toContainText("Only the start of this JSON is loaded");
  await page.getByTestId("body-load-all").click();
  await expect(page.getByTestId("body-fallback-notice")).toContainText("over 1 MiB");
  await expect(page.getByTestId("body-trimmed-notice")).toBeVisible();
  await expect(page.getByTestId("body-raw")).toContainText('{"items":[{"i":0,');
  await expect(page.getByTestId("download-body")).toHaveAttribute("href", /\/api\/captures\/.+\/body$/);

  // Literal NUL bytes make the body look binary: hex first; Raw shows the NULs as escapes.
  await row(page, 3).click();
  await expect(page.getByTestId("body-hex")).toContainText("78 00 79 00");
  await page.getByTestId("body-mode-raw").click();
  await expect(page.getByTestId("body-raw")).toContainText("x\\u0000y\\u0000");

  // Just under the highlighting limit: ~50 KiB of pretty JSON is highlighted, and the tab answers meanwhile.
  const mid = JSON.stringify(Array.from({ length: 800 }, (_, i) => ({ i, name: `item ${i}`, ok: i % 2 === 0 })));
  await send(captureUrl, { path: "/mid", headers: [["Content-Type", "application/json"]], body: mid });
  await expect(rows(page)).toHaveCount(4);
  // The longest main-thread task while it loads and highlights says whether the tab ever froze.
  await page.evaluate(() => {
    const w = window as unknown as { __longest: number };
    w.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    }).observe({ type: "longtask" });
  });
  const started = Date.now();
  await row(page, 4).click();
  await page.getByTestId("body-mode-formatted").click();
  await expect(page.getByTestId("body-highlighted")).toHaveAttribute("data-highlighted", "true");
  const midMs = Date.now() - started;
  await page.getByTestId("body-mode-raw").click({ timeout: 5_000 });
  await expect(page.getByTestId("body-raw")).toBeVisible({ timeout: 5_000 });
  const longest = Math.round(await page.evaluate(() => (window as unknown as { __longest: number }).__longest));
  console.log(
    `detail timings: deep JSON ${deepMs} ms, 5 MiB JSON ${hugeMs} ms (probes); ${mid.length} B JSON highlighted in ${midMs} ms, longest task ${longest} ms`,
  );
});

test("gzip and brotli bodies decode on request; a gzip bomb's output is capped", async ({ page }) => {
  const { captureUrl } = await createEndpointFromHome(page);
  const json = JSON.stringify({ event: "compressed", ok: true });
  await send(captureUrl, {
    path: "/gz",
    headers: [
      ["Content-Type", "application/json"],
      ["Content-Encoding", "gzip"],
    ],
    body: zlib.gzipSync(json),
  });
  const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x41), { level: 9 });
  expect(bomb.length).toBeLessThan(100 * 1024);
  await send(captureUrl, {
    path: "/bomb",
    headers: [
      ["Content-Type", "text/plain"],
      ["Content-Encoding", "gzip"],
    ],
    body: bomb,
  });
  await expect(rows(page)).toHaveCount(2);

  await row(page, 1).click();
  await expect(page.getByTestId("body-hex")).toBeVisible(); // gzip bytes are binary until decoded
  await page.getByTestId("decode-body").click();
  await expect(page.getByTestId("decode-notice")).toHaveAttribute("data-truncated", "false");
  await expect(page.getByTestId("body-tree")).toContainText('"event": "compressed"');

  await row(page, 2).click();
  await page.getByTestId("decode-body").click();
  const notice = page.getByTestId("decode-notice");
  await expect(notice).toHaveAttribute("data-truncated", "true");
  await expect(notice).toContainText("cut at 1 MiB");
  await expect(page.getByTestId("body-viewer")).toContainText("1 MiB decoded from");
  await expect(page.getByTestId("body-trimmed-notice")).toBeVisible();
  await expect(page.getByTestId("body-raw")).toContainText("AAAAAAAA");

  // Brotli goes through the server (browsers cannot decode it), capped the same way.
  await send(captureUrl, {
    path: "/br",
    headers: [
      ["Content-Type", "application/json"],
      ["Content-Encoding", "br"],
    ],
    body: zlib.brotliCompressSync(json),
  });
  await send(captureUrl, {
    path: "/br-bomb",
    headers: [
      ["Content-Type", "text/plain"],
      ["Content-Encoding", "br"],
    ],
    body: zlib.brotliCompressSync(Buffer.alloc(50 * 1024 * 1024, 0x42)),
  });
  await expect(rows(page)).toHaveCount(4);
  await row(page, 3).click();
  await page.getByTestId("decode-body").click();
  await expect(page.getByTestId("body-tree")).toContainText('"event": "compressed"');
  await row(page, 4).click();
  await page.getByTestId("decode-body").click();
  await expect(page.getByTestId("decode-notice")).toHaveAttribute("data-truncated", "true");
  await expect(page.getByTestId("body-raw")).toContainText("BBBBBBBB");
});

test("copy as cURL reproduces the request byte for byte when run", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { id, captureUrl } = await createEndpointFromHome(page);
  const body = JSON.stringify({ quote: "it's $(not) `run`", bidi: "\u202E" });
  await send(captureUrl, {
    method: "PATCH",
    path: "/a/../b?x=1&y=[2]",
    headers: [
      ["Content-Type", "application/json"],
      ["X-Evil", "'; echo pwned #"],
      ["x-dup", "1"],
      ["X-Dup", "2"],
      ["X-Empty", ""],
    ],
    body,
  });
  await row(page, 1).click();
  await page.getByTestId("copy-curl").click();
  const cmd = await page.evaluate(() => navigator.clipboard.readText());
  expect(cmd).toMatch(/^curl --path-as-is --globoff -X 'PATCH' /);
  expect(cmd).toMatch(/^[\x20-\x7e\n]*$/);

  await new Promise<void>((resolve, reject) =>
    execFile("bash", ["-c", `${cmd} -s -o /dev/null`], (err) => (err ? reject(err) : resolve())),
  );
  await expect(rows(page)).toHaveCount(2);

  const list = (await (await page.request.get(`/api/endpoints/${id}/captures`)).json()) as { items: { id: string; seq: number }[] };
  const [again, original] = await Promise.all(
    list.items.map(async (c) => (await (await page.request.get(`/api/captures/${c.id}`)).json()) as Record<string, unknown>),
  );
  for (const key of ["method", "path", "query", "contentType"]) expect(again![key]).toEqual(original![key]);
  expect(again!.body).toEqual(original!.body);
  const names = (c: Record<string, unknown>) => (c.headers as [string, string][]).filter(([k]) => !/^(host|content-length)$/i.test(k));
  expect(names(again!)).toEqual(names(original!));
});

test("deleting a capture from its detail removes it from the list and selects its neighbour", async ({ page }) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  for (const n of [1, 2, 3]) await sendJson(captureUrl, { n });
  await expect(rows(page)).toHaveCount(3);
  await row(page, 2).click();
  await page.getByTestId("delete-capture").click();
  await page.getByTestId("confirm-delete-capture").click();
  await expect(rows(page)).toHaveCount(2);
  await expect(row(page, 2)).toHaveCount(0);
  await expect(row(page, 1)).toHaveAttribute("aria-selected", "true");
  const left = await page.request.get(`/api/endpoints/${id}/captures`);
  expect(((await left.json()) as { items: { seq: number }[] }).items.map((c) => c.seq)).toEqual([3, 1]);
});
