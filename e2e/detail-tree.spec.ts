// The capture detail as people read it (issue 15): request line and facts, the verdict, the body
// at full height in the pane's one scroll, transport headers folded; JSON as a tree (fold, copy
// path and value, find with next/previous, the highlighted source one click away, distinct token
// colours); multipart parts listed, downloadable under their file names, images shown from blobs.
import zlib from "node:zlib";
import type { Locator, Page } from "@playwright/test";
import { createEndpointFromHome, expect, row, rows, screenshot, send, sendJson, test } from "./fixtures";

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());
const treeRow = (page: Page, path: string) => page.locator(`[data-testid="tree-row"][data-path=${JSON.stringify(path)}]`);
const top = async (l: Locator) => (await l.boundingBox())!.y;

/** A Stripe-like event of about 3 KB whose last top-level key is `last_key_of_event`. */
function stripeEvent() {
  const lines = Array.from({ length: 24 }, (_, i) => ({
    id: `li_${i}`,
    object: "line_item",
    amount: 1000 + i,
    currency: "eur",
    description: `Line ${i} of the order`,
    taxable: i % 2 === 0,
  }));
  const event = {
    id: "evt_3Nx",
    object: "event",
    api_version: "2024-06-20",
    created: 1733480000,
    data: { object: { id: "pi_3Nx", object: "payment_intent", amount: 4200, currency: "eur", metadata: { "order id": "A-17" }, lines } },
    livemode: false,
    pending_webhooks: 1,
    type: "payment_intent.succeeded",
    last_key_of_event: "the end",
  };
  return event;
}

/** About fifteen headers, as a webhook arrives through a proxy. */
const PROXY_HEADERS: [string, string][] = [
  ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
  ["Accept", "*/*; q=0.5, application/xml"],
  ["Accept-Encoding", "gzip, deflate"],
  ["Connection", "keep-alive"],
  ["Cache-Control", "no-cache"],
  ["Stripe-Signature", "t=1733480000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"],
  ["X-Forwarded-For", "203.0.113.7"],
  ["X-Forwarded-Proto", "https"],
  ["Via", "1.1 proxy"],
  ["CDN-Loop", "cloudflare"],
  ["Sec-Fetch-Mode", "cors"],
  ["Sec-Fetch-Site", "cross-site"],
];

test("the detail reads top-down at 1440×900: facts, verdict, body on screen; transport headers fold; a 3 KB event reads to its end in the pane's one scroll", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const { captureUrl } = await createEndpointFromHome(page);
  const event = stripeEvent();
  const body = JSON.stringify(event);
  expect(body.length).toBeGreaterThan(2800);
  await sendJson(captureUrl, event, { path: "/stripe?source=test", headers: PROXY_HEADERS });
  await row(page, 1).click();
  const detail = page.getByTestId("capture-detail");
  // Host, Content-Type and Content-Length come from the sender too: 15 headers.
  await expect(detail.getByTestId("headers-table").getByTestId("header-row")).toHaveCount(15);

  // Key facts at the top, in one unit of bytes.
  await expect(detail.getByTestId("detail-content-type")).toHaveText("application/json");
  await expect(detail.getByTestId("detail-size")).toHaveText(`${(body.length / 1024).toFixed(1)} KiB`);
  await expect(detail.getByTestId("detail-remote")).toContainText("127.0.0.1");

  // Sections in reading order: the verdict above the body, then headers, query, the response we sent.
  await expect(detail.locator("[data-signature-status]")).toBeVisible();
  const order = ["signature-section", "body-section", "headers-section", "query-section", "sent-response"];
  const ys = [];
  for (const id of order) ys.push(await top(detail.getByTestId(id)));
  expect(ys).toEqual([...ys].sort((a, b) => a - b));

  // The body's first line is on screen without scrolling.
  const first = treeRow(page, ".id");
  await expect(first).toContainText('"id": "evt_3Nx"');
  await expect(first).toBeInViewport({ ratio: 1 });
  const box = (await first.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(900);
  const pane = page.locator('[data-pane="detail"]');
  expect(await pane.evaluate((el) => el.scrollTop)).toBe(0);
  await screenshot(page, "detail-json-tree");

  // No box inside the pane scrolls: the body is at full height, and the wheel over it scrolls the
  // pane until the event's last key shows.
  const innerScrollers = await detail.evaluate(
    (root) =>
      [root, ...root.querySelectorAll("*")].filter(
        (el) => el.scrollHeight > el.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(el).overflowY),
      ).length,
  );
  expect(innerScrollers).toBe(0);
  const last = treeRow(page, ".last_key_of_event");
  await expect(last).not.toBeInViewport();
  await page.mouse.move(box.x + 200, box.y + 5);
  await expect(async () => {
    await page.mouse.wheel(0, 600);
    await expect(last).toBeInViewport({ ratio: 1, timeout: 500 });
  }).toPass();
  await expect(last).toContainText('"the end"');
  expect(await pane.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

  // Transport headers are folded behind one toggle; the sender's own (User-Agent) stay in view.
  const header = (name: string) => detail.getByTestId("headers-table").locator(`[data-testid="header-row"][data-header-name="${name}"]`);
  const toggle = detail.getByTestId("transport-headers-toggle");
  await expect(toggle).toContainText("Show 10 transport headers");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  for (const name of ["Host", "Connection", "Content-Length", "Accept-Encoding", "Sec-Fetch-Mode", "X-Forwarded-For", "Via", "CDN-Loop"])
    await expect(header(name)).toBeHidden();
  for (const name of ["User-Agent", "Content-Type", "Stripe-Signature", "Accept", "Cache-Control"])
    await expect(header(name)).toBeVisible();
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  for (const name of ["Host", "Connection", "Sec-Fetch-Mode", "CDN-Loop"]) await expect(header(name)).toBeVisible();
});

test("JSON tree: fold and unfold a node and all; copy a node's path and value; the highlighted source one click away; distinct colours", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { captureUrl } = await createEndpointFromHome(page);
  // The big number would lose digits through JSON.parse; the tree keeps what was sent.
  const body =
    '{"data":{"object":{"amount":12345678901234567890,"fee":4200,"currency":"eur","odd key":[{"ok":true,"none":null}]}},"type":"x"}';
  await send(captureUrl, { path: "/tree", headers: [["Content-Type", "application/json"]], body });
  await row(page, 1).click();
  const detail = page.getByTestId("capture-detail");
  await expect(detail.getByTestId("body-mode-tree")).toHaveAttribute("aria-pressed", "true");

  const amount = treeRow(page, ".data.object.amount");
  await expect(amount).toContainText('"amount": 12345678901234567890');
  // Fold .data: its descendants go; unfold: they come back.
  const dataToggle = treeRow(page, ".data").getByTestId("tree-toggle");
  await dataToggle.click();
  await expect(dataToggle).toHaveAttribute("aria-expanded", "false");
  await expect(amount).toHaveCount(0);
  await expect(treeRow(page, ".data")).toContainText("{1 key}");
  await dataToggle.click();
  await expect(amount).toBeVisible();
  // Fold all leaves the top level; unfold all opens every level.
  await detail.getByTestId("tree-fold-all").click();
  await expect(detail.getByTestId("tree-row")).toHaveCount(2);
  await detail.getByTestId("tree-unfold-all").click();
  await expect(treeRow(page, '.data.object["odd key"][0].none')).toBeVisible();

  // Copy path and value (buttons show on hover).
  const odd = treeRow(page, '.data.object["odd key"][0]');
  await odd.hover();
  await odd.getByTestId("tree-copy-path").click();
  await expect.poll(() => clipboard(page)).toBe('.data.object["odd key"][0]');
  await odd.getByTestId("tree-copy-value").click();
  await expect.poll(() => clipboard(page)).toBe('{\n  "ok": true,\n  "none": null\n}');
  await amount.hover();
  await amount.getByTestId("tree-copy-value").click();
  await expect.poll(() => clipboard(page)).toBe("12345678901234567890");
  await amount.getByTestId("tree-copy-path").click();
  await expect.poll(() => clipboard(page)).toBe(".data.object.amount");

  // Keys, strings, numbers and literals have four colours, each ≥ 4.5:1 on the background, in the
  // tree and in the highlighted source, light and dark.
  const colours = (root: Locator, texts: string[]) =>
    root.evaluate((el, wanted) => {
      // Any CSS colour (Tailwind's are lab()/oklch()) to sRGB through a canvas pixel.
      const ctx = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
      const lum = (c: string) => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = c;
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, b] = [...ctx.getImageData(0, 0, 1, 1).data].slice(0, 3).map((v) => {
          const x = v / 255;
          return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const opaque = (c: string) => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = c;
        ctx.fillRect(0, 0, 1, 1);
        return ctx.getImageData(0, 0, 1, 1).data[3]! > 0;
      };
      const background = (node: Element | null): string => {
        for (let n = node; n; n = n.parentElement) {
          const bg = getComputedStyle(n).backgroundColor;
          if (opaque(bg)) return bg;
        }
        return "rgb(255, 255, 255)";
      };
      return wanted.map((t) => {
        const span = [...el.querySelectorAll("span")].find(
          (s) => s.childElementCount === 0 && s.textContent?.replaceAll('"', "").trim() === t,
        )!;
        const fg = getComputedStyle(span).color;
        const [a, b] = [lum(fg), lum(background(span))].sort((x, y) => y - x);
        return { fg, contrast: (a! + 0.05) / (b! + 0.05) };
      });
    }, texts);
  const kinds = ["currency", "eur", "4200", "true"]; // key, string, number, literal
  const check = async (root: Locator) => {
    const c = await colours(root, kinds);
    expect(new Set(c.map((x) => x.fg)).size, JSON.stringify(c)).toBe(4);
    for (const x of c) expect(x.contrast, JSON.stringify(c)).toBeGreaterThanOrEqual(4.5);
  };
  await check(detail.getByTestId("body-tree"));
  await detail.getByTestId("body-mode-formatted").click();
  const source = detail.getByTestId("body-highlighted");
  await expect(source).toHaveAttribute("data-highlighted", "true");
  await check(source);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  await check(source);
  await detail.getByTestId("body-mode-tree").click();
  await check(detail.getByTestId("body-tree"));
});

test("find in body: a match count, next and previous move the current match, in the tree, the source and raw", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const { captureUrl } = await createEndpointFromHome(page);
  const event = {
    amount: 1,
    note: "the amount paid",
    items: Array.from({ length: 60 }, (_, i) => ({ i, label: `item ${i}` })),
    total_amount: 3,
  };
  await sendJson(captureUrl, event);
  await row(page, 1).click();
  const detail = page.getByTestId("capture-detail");
  const input = detail.getByTestId("body-find-input");
  const count = detail.getByTestId("body-find-count");
  const currentRow = () => detail.locator('[data-testid="tree-row"]:has([data-find-current])').getAttribute("data-path");

  await input.fill("AMOUNT");
  await expect(count).toHaveText("1 of 3");
  await expect(detail.locator("[data-find-current]")).toHaveCount(1);
  expect(await currentRow()).toBe(".amount");
  await detail.getByTestId("body-find-next").click();
  await expect(count).toHaveText("2 of 3");
  expect(await currentRow()).toBe(".note");
  await input.press("Enter");
  await expect(count).toHaveText("3 of 3");
  // The last match, below the 60 items, was scrolled into view in the pane.
  await expect(treeRow(page, ".total_amount")).toBeInViewport();
  await input.press("Enter");
  await expect(count).toHaveText("1 of 3"); // wraps
  await detail.getByTestId("body-find-prev").click();
  await expect(count).toHaveText("3 of 3");
  await input.press("Shift+Enter");
  await expect(count).toHaveText("2 of 3");
  await screenshot(page, "detail-find");

  // A match inside a folded node unfolds it.
  await detail.getByTestId("tree-fold-all").click();
  await input.fill("item 42");
  await expect(count).toHaveText("1 of 1");
  await expect(treeRow(page, ".items[42].label")).toBeInViewport();

  // The highlighted source and the raw text count and mark the same way.
  await input.fill("amount");
  for (const mode of ["formatted", "raw"] as const) {
    await detail.getByTestId(`body-mode-${mode}`).click();
    await expect(count).toHaveText("1 of 3");
    await detail.getByTestId("body-find-next").click();
    await expect(count).toHaveText("2 of 3");
    await expect(detail.locator("[data-find-current]").first()).toHaveText("amount");
    await expect(detail.locator("[data-find-match]")).toHaveCount(mode === "formatted" ? 3 : 3);
  }
  await input.press("Escape");
  await expect(input).toHaveValue("");
  await expect(detail.locator("[data-find-match]")).toHaveCount(0);
});

/** A small solid PNG (`size`×`size`, RGB). */
function png(size: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  // Each row: filter byte 0, then indigo pixels.
  const rowBytes = Buffer.from([0, ...Array.from({ length: size }, () => [99, 102, 241]).flat()]);
  const raw = Buffer.concat(Array.from({ length: size }, () => rowBytes));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("multipart upload: a text field, a JSON file and a PNG are listed with name, file name, type and size; each downloads under its name; the image shows from a blob", async ({
  page,
}) => {
  const { captureUrl } = await createEndpointFromHome(page);
  const boundary = "----hookscopeBoundary7MA4YWxkTrZu0gW";
  const json = Buffer.from(JSON.stringify({ event: "upload", items: [1, 2, 3] }, null, 2));
  const image = png(48);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nQuarterly report\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="meta"; filename="event.json"\r\nContent-Type: application/json\r\n\r\n`,
    ),
    json,
    Buffer.from(
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="avatar"; filename="avatar.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    image,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  await send(captureUrl, { path: "/upload", headers: [["Content-Type", `multipart/form-data; boundary=${boundary}`]], body });
  await expect(rows(page)).toHaveCount(1);
  await row(page, 1).click();

  const parts = page.getByTestId("body-form-fields").getByTestId("form-field");
  await expect(parts).toHaveCount(3);
  await expect(parts.nth(0)).toContainText("title");
  await expect(parts.nth(0)).toContainText("Quarterly report");
  await expect(parts.nth(1)).toContainText("meta");
  await expect(parts.nth(1).getByTestId("form-part-meta")).toHaveText("file event.json · application/json");
  await expect(parts.nth(1)).toContainText('"event": "upload"');
  await expect(parts.nth(1)).toContainText(`${json.length} B`);
  await expect(parts.nth(2).getByTestId("form-part-meta")).toHaveText("file avatar.png · image/png");
  await expect(parts.nth(2)).toContainText(`${image.length} B`);
  await expect(parts.nth(2)).not.toContainText("Binary content");

  // The image is an <img> from a blob: URL made in the page, and it decoded.
  const img = parts.nth(2).getByTestId("form-part-image");
  await expect(img).toHaveAttribute("src", /^blob:/);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(48);
  await screenshot(page, "detail-multipart");

  // Each part downloads under its file name, byte for byte.
  for (const [i, name, bytes] of [
    [1, "event.json", json],
    [2, "avatar.png", image],
  ] as const) {
    const [download] = await Promise.all([page.waitForEvent("download"), parts.nth(i).getByTestId("form-part-download").click()]);
    expect(download.suggestedFilename()).toBe(name);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  }
  // Nothing navigated: the dashboard is still where it was.
  await expect(page).toHaveURL(/\/endpoints\//);
});
