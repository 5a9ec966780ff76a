// Shared fixtures: the server URL from global setup as baseURL, a page that fails the test on any
// JavaScript dialog (alert/confirm from captured content must never run), and helpers that act
// like a provider sending webhooks (node:http with raw header arrays, so names keep their case
// and order exactly as written here).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";

export { expect };

export const test = base.extend<{ dialogs: string[] }>({
  baseURL: async ({}, provide) => {
    const url = process.env.HOOKSCOPE_E2E_URL;
    if (!url) throw new Error("HOOKSCOPE_E2E_URL is not set: run through playwright.config.ts (global setup starts the server)");
    await provide(url);
  },
  dialogs: async ({ page }, provide) => {
    const seen: string[] = [];
    page.on("dialog", (d) => {
      seen.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    await provide(seen);
  },
});

export interface TSent {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends one request to a capture URL (or anything) exactly as given. */
export function send(
  url: string,
  opts: { method?: string; path?: string; headers?: [string, string][]; body?: string | Buffer } = {},
): Promise<TSent> {
  const u = new URL(url);
  const body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body, "utf8");
  const headers: string[] = ["Host", u.host];
  for (const [k, v] of opts.headers ?? []) headers.push(k, v);
  if (body) headers.push("Content-Length", String(body.length));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, method: opts.method ?? "POST", path: u.pathname + (opts.path ?? "") + u.search, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Sends a small JSON webhook and asserts it was stored (2xx). */
export async function sendJson(captureUrl: string, value: unknown, extra: { path?: string; headers?: [string, string][] } = {}) {
  const r = await send(captureUrl, {
    method: "POST",
    path: extra.path,
    headers: [["Content-Type", "application/json"], ...(extra.headers ?? [])],
    body: JSON.stringify(value),
  });
  expect(r.status, r.body).toBeLessThan(300);
  return r;
}

/** Sends `n` small POSTs over keep-alive connections, `concurrency` at a time; resolves when all are stored. */
export async function flood(captureUrl: string, n: number, concurrency = 48): Promise<void> {
  const u = new URL(captureUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const body = `{"i":${i}}`;
      const req = http.request(
        {
          agent,
          host: u.hostname,
          port: u.port,
          method: "POST",
          path: `${u.pathname}/bulk/${i}`,
          headers: { "content-type": "application/json", "content-length": body.length },
        },
        (res) => {
          res.resume();
          res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`capture ${i}: ${res.statusCode}`))));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const worker = async () => {
    while (next < n) await one(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
}

/** Creates an endpoint from the home page, as a user would; returns its id and capture URL. */
export async function createEndpointFromHome(page: Page): Promise<{ id: string; captureUrl: string }> {
  await page.goto("/");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split("/")[2]!;
  const captureUrl = (await page.getByTestId("capture-url").textContent())!.trim();
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  return { id, captureUrl };
}

/** The capture list rows currently in the DOM (the list is virtualized: only rows near the view). */
export function rows(page: Page) {
  return page.getByTestId("capture-row");
}

export function row(page: Page, seq: number) {
  return page.locator(`[data-testid="capture-row"][data-seq="${seq}"]`);
}

/** Saves a screenshot to test-results/screenshots/<name>.png for a human to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.join("test-results", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false, animations: "disabled" }); // transitions finished (a theme switch mid-fade looked like grey buttons)
}

export interface TReceived {
  method: string;
  url: string;
  /** [name, value] pairs as they arrived (rawHeaders). */
  headers: [string, string][];
  body: Buffer;
}

/**
 * A local HTTP server standing in for a webhook receiver: records every request exactly and
 * answers `status` with `answer`. Close it at the end of the test.
 */
export async function startTarget(opts: { status?: number; answer?: string } = {}) {
  const received: TReceived[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      received.push({ method: req.method ?? "", url: req.url ?? "", headers, body: Buffer.concat(chunks) });
      res.writeHead(opts.status ?? 200, { "Content-Type": "text/plain", "X-Target": "test" });
      res.end(opts.answer ?? "received");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
