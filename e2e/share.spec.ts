// Read-only share links in the browser: created from a capture in the dashboard, opened in a
// fresh browser context that holds no key cookie, with the Authorization value hidden and
// attacker-controlled content inert; revoked from the settings' Share links tab; an endpoint link
// that shows new captures live and stops working once it expires (expires_at moved into the past
// in the database, the same state an hour's wait would reach). And the dashboard permalink of a
// capture, opened by a teammate who holds the key.
import pg from "pg";
import { createEndpointFromHome, expect, flood, row, screenshot, send, test } from "./fixtures";

const SECRET = "Bearer sk_e2e_share_secret_4f1c9a";
const XSS = `<img src=x onerror="window.__xss=1;alert('xss')"><script>window.__xss=2;alert('xss')</script>`;

test("a capture link: opens with no cookie, hides Authorization, renders hostile content as text, and stops when revoked", async ({
  page,
  browser,
  dialogs,
}) => {
  const { captureUrl } = await createEndpointFromHome(page);
  const sent = await send(captureUrl, {
    path: `/<svg/onload=window.__xss=3>?q=<script>window.__xss=4</script>`,
    headers: [
      ["Content-Type", "text/html"],
      ["Authorization", SECRET],
      ["X-Evil", XSS],
    ],
    body: `<html><body>${XSS}</body></html>`,
  });
  expect(sent.status).toBe(200);
  await row(page, 1).click();

  // From the capture's own actions: Share read-only link → This capture (the default) → Create.
  await page.getByTestId("capture-detail").getByTestId("share-capture").click();
  const dialog = page.getByTestId("share-link-dialog");
  await expect(dialog.getByLabel("This capture (#1)")).toBeChecked();
  await expect(dialog.getByLabel("Include secret headers")).not.toBeChecked();
  await dialog.getByTestId("create-share-link").click();
  const url = await dialog.getByTestId("share-link-url").inputValue();
  expect(url).toMatch(/\/s\/hss_[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole("button", { name: "Done" }).click();

  // A teammate: a fresh browser context, no cookies at all.
  const teammate = await browser.newContext();
  try {
    expect(await teammate.cookies()).toEqual([]);
    const shared = await teammate.newPage();
    const sharedDialogs: string[] = [];
    shared.on("dialog", (d) => {
      sharedDialogs.push(d.message());
      void d.dismiss();
    });
    const apiCalls: string[] = [];
    shared.on("request", (r) => {
      const p = new URL(r.url()).pathname;
      if (p.startsWith("/api/")) apiCalls.push(p);
    });
    await shared.goto(url);
    const capture = shared.getByTestId("capture-detail");
    await expect(capture).toBeVisible();
    await expect(shared.getByTestId("share-notice")).toContainText("Read-only share");
    const auth = capture.locator('[data-testid="header-row"][data-header-name="Authorization"]');
    await expect(auth).toHaveAttribute("data-redacted", "true");
    await expect(auth).toContainText(`a value of ${SECRET.length} bytes was sent`);
    await expect(auth.getByTestId("header-redacted")).toBeVisible();
    expect(await shared.content()).not.toContain("sk_e2e_share_secret");
    // Nor the capture URL: a share gives no way to send into the endpoint.
    expect(await shared.content()).not.toContain(new URL(captureUrl).pathname);

    // Hostile path, header and body: shown as the text they are, never run.
    await expect(capture.getByTestId("detail-url")).toHaveText(
      `https://capture-url.invalid/<svg/onload=window.__xss=3>?q=<script>window.__xss=4</script>`,
    );
    await expect(capture.locator('[data-testid="header-row"][data-header-name="X-Evil"]')).toContainText(XSS);
    await expect(capture.getByTestId("body-viewer")).toContainText(XSS);
    expect(await shared.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await shared.locator("main img, main script, main [onload], main [onerror]").count()).toBe(0);
    expect(sharedDialogs).toEqual([]);

    // Nothing to write with.
    await expect(shared.getByRole("button", { name: /delete|resend|clear|settings|edit/i })).toHaveCount(0);
    await screenshot(shared, "share-capture");
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(apiCalls.filter((p) => !p.startsWith("/api/s/"))).toEqual([]);

    // The owner revokes it in Settings → Share links; the teammate's next load says so.
    await page.getByTestId("open-settings").click();
    const settings = page.getByTestId("settings-dialog");
    await settings.getByRole("tab", { name: "Share links" }).click();
    const linkRow = settings.getByTestId("share-link-row");
    await expect(linkRow).toHaveCount(1);
    await expect(linkRow).toHaveAttribute("data-state", "active");
    await expect(linkRow).toContainText("Capture #1");
    // Created just now, works 7 days (the default), and the teammate's visit counts as its last use.
    await expect(linkRow.getByTestId("share-link-created")).toHaveText("just now");
    await expect(linkRow.getByTestId("share-link-expires")).toHaveText("in 7 days");
    await expect(linkRow.getByTestId("share-link-last-used")).toHaveText("just now");
    await screenshot(page, "share-links-settings");
    await linkRow.getByRole("button", { name: "Revoke" }).click();
    await expect(linkRow).toHaveAttribute("data-state", "revoked");

    const gone = await shared.goto(url);
    expect(gone?.status()).toBe(410);
    await expect(shared.getByTestId("share-problem-title")).toHaveText("This share link was revoked");
    await expect(shared.getByTestId("share-problem-message")).toContainText("Ask them for a new link");
    await screenshot(shared, "share-revoked");
  } finally {
    await teammate.close();
  }
  expect(dialogs).toEqual([]);
});

test("an endpoint link: the endpoint's captures live in a fresh context, then nothing once it expires", async ({ page, browser }) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  await send(captureUrl, { path: "/first", headers: [["Content-Type", "application/json"]], body: '{"n":1}' });
  await expect(row(page, 1)).toBeVisible();

  // From the endpoint's settings: a new endpoint link that expires after an hour.
  await page.getByTestId("open-settings").click();
  const settings = page.getByTestId("settings-dialog");
  await settings.getByRole("tab", { name: "Share links" }).click();
  await expect(settings.getByTestId("share-links-empty")).toBeVisible();
  await settings.getByTestId("new-share-link").click();
  await settings.getByLabel("1 hour").check();
  await settings.getByTestId("create-share-link").click();
  const url = await settings.getByTestId("share-link-url").inputValue();
  await expect(settings.getByTestId("share-link-row")).toContainText("Whole endpoint");
  await expect(settings.getByTestId("share-link-expires")).toHaveText(/^in (60|59) min$/);
  await expect(settings.getByTestId("share-link-last-used")).toHaveText("never");

  const teammate = await browser.newContext();
  try {
    const shared = await teammate.newPage();
    // Every API call the shared page makes goes through the token (/api/s/…): nothing keyed, not
    // even a signature badge for a row that arrived live (verdicts are not part of a share).
    const apiCalls: string[] = [];
    shared.on("request", (r) => {
      const p = new URL(r.url()).pathname;
      if (p.startsWith("/api/")) apiCalls.push(p);
    });
    await shared.goto(url);
    await expect(shared.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
    await expect(row(shared, 1)).toBeVisible();
    await expect(shared.getByTestId("detail-url")).toHaveText("https://capture-url.invalid/first");
    await expect(shared.getByTestId("body-viewer")).toContainText('"n": 1');

    await send(captureUrl, { path: "/second", headers: [["Content-Type", "application/json"]], body: '{"n":2}' });
    await expect(row(shared, 2)).toBeVisible();
    await row(shared, 2).click();
    await expect(shared.getByTestId("detail-url")).toHaveText("https://capture-url.invalid/second");
    await expect(shared.getByTestId("body-viewer")).toContainText('"n": 2');
    await screenshot(shared, "share-endpoint-live");
    expect(apiCalls.some((p) => p.endsWith("/events"))).toBe(true);
    expect(apiCalls.filter((p) => !p.startsWith("/api/s/"))).toEqual([]);

    const db = new pg.Client({ connectionString: process.env.HOOKSCOPE_E2E_DATABASE_URL! });
    await db.connect();
    try {
      await db.query("UPDATE share_links SET expires_at = now() - interval '1 second' WHERE endpoint_id = $1", [id]);
    } finally {
      await db.end();
    }
    const expired = await shared.goto(url);
    expect(expired?.status()).toBe(410);
    await expect(shared.getByTestId("share-problem-title")).toHaveText("This share link has expired");
    const api = await teammate.request.get(url.replace("/s/", "/api/s/") + "/captures");
    expect(api.status()).toBe(410);
  } finally {
    await teammate.close();
  }
});

// An open page, not a reload: the link turns off while the teammate watches. The page must notice
// within seconds (its live stream ends, the server re-checking every 5 s), replace the captures
// with the reason, and stop asking the server. "Stopped" is checked without waiting in real time:
// the page runs on Playwright's fake clock, which the test runs 5 minutes ahead, firing every
// pending retry, reconnect and poll timer; then a request of our own marks the point by which any
// request those timers made would have been seen (request events arrive in order).
for (const ending of ["revoked", "expired"] as const) {
  test(`an open endpoint share page says ${ending} within seconds, drops the captures and stops asking the server`, async ({
    browser,
    request,
  }) => {
    const created = await request.post("/api/endpoints", { data: { name: `watched share (${ending})` } });
    expect(created.status()).toBe(201);
    const ep = (await created.json()) as { id: string; captureUrl: string; managementKey: string };
    const auth = { authorization: `Bearer ${ep.managementKey}` };
    await send(ep.captureUrl, { path: "/before", headers: [["Content-Type", "text/plain"]], body: "seen" });
    const share = await request.post(`/api/endpoints/${ep.id}/shares`, { headers: auth, data: { expiresIn: "1h" } });
    expect(share.status()).toBe(201);
    const link = (await share.json()) as { id: string; token: string; url: string };

    const teammate = await browser.newContext();
    try {
      const shared = await teammate.newPage();
      await shared.clock.install();
      const tokenCalls: string[] = [];
      shared.on("request", (r) => {
        const p = new URL(r.url()).pathname;
        if (p.startsWith(`/api/s/${link.token}`)) tokenCalls.push(p);
      });
      await shared.goto(new URL(link.url).pathname);
      await expect(shared.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
      await expect(row(shared, 1)).toBeVisible();
      await expect(shared.getByTestId("share-notice")).toContainText("Link works until");

      if (ending === "revoked") {
        expect((await request.delete(`/api/endpoints/${ep.id}/shares/${link.id}`, { headers: auth })).status()).toBe(200);
      } else {
        const db = new pg.Client({ connectionString: process.env.HOOKSCOPE_E2E_DATABASE_URL! });
        await db.connect();
        try {
          await db.query("UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = $1", [link.id]);
        } finally {
          await db.end();
        }
      }
      await expect(shared.getByTestId("share-problem-message")).toContainText(
        ending === "revoked" ? "This share link was revoked" : "This share link has expired",
        { timeout: 10_000 },
      );
      await expect(shared.getByText(/Link works until/)).toHaveCount(0);
      await expect(shared.getByTestId("capture-row")).toHaveCount(0);
      await expect(shared.getByTestId("live-indicator")).toHaveCount(0);
      await screenshot(shared, `share-${ending}-while-open`);

      const before = tokenCalls.length;
      await shared.clock.runFor(5 * 60_000);
      const marker = shared.waitForRequest((r) => r.url().endsWith("/robots.txt?marker"));
      await shared.evaluate(() => void fetch("/robots.txt?marker"));
      await marker;
      expect(tokenCalls.slice(before)).toEqual([]);
    } finally {
      await teammate.close();
    }
  });
}

test("a capture's permalink with the key opens that capture for a teammate, even one older than the list's first page", async ({
  browser,
  request,
}) => {
  const created = await request.post("/api/endpoints", { data: { name: "permalink" } });
  expect(created.status()).toBe(201);
  const ep = (await created.json()) as { id: string; captureUrl: string; managementKey: string };
  const first = await send(ep.captureUrl, { path: "/the-oldest", headers: [["Content-Type", "text/plain"]], body: "old one" });
  const captureId = first.headers["x-hookscope-capture-id"];
  expect(captureId).toMatch(/^[0-9a-f-]{36}$/);
  // 200 newer captures: the oldest is not on the list's first page (200 rows).
  await flood(ep.captureUrl, 200);

  const teammate = await browser.newContext();
  try {
    const tab = await teammate.newPage();
    await tab.goto(`/endpoints/${ep.id}/captures/${captureId}#key=${ep.managementKey}`);
    await expect(tab.getByTestId("detail-url")).toHaveText(`${ep.captureUrl}/the-oldest`);
    await expect(tab.getByTestId("body-viewer")).toContainText("old one");
    // The key left the address bar (it is in the cookie now); the permalink itself stays.
    expect(new URL(tab.url()).hash).toBe("");
    expect(new URL(tab.url()).pathname).toBe(`/endpoints/${ep.id}/captures/${captureId}`);
    await expect(tab.locator('[data-testid="capture-row"][data-seq="1"]')).toHaveCount(0);
    await screenshot(tab, "permalink-teammate");
  } finally {
    await teammate.close();
  }
});
