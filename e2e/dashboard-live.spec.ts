// The dashboard as a day of use sees it (issue 15 items 1, 5, 6, 12): the newest capture opens by
// itself until the user picks another, arrivals while the tab is hidden are counted in its title
// and, on request, notified; an empty endpoint's main pane says how to send the first request;
// the connection state is honest when the server goes away and what failed meanwhile loads by
// itself when it is back; the forwarding counts move while the tab is open.
import pg from "pg";
import { startApp } from "../test/support/app";
import { createEndpointFromHome, expect, row, rows, screenshot, send, sendJson, startTarget, test } from "./fixtures";
import { E2E_APP_ENV } from "./support/state";

/**
 * `n` captures committed at once, straight in the database with the notification the capture path
 * sends: a burst that lands in one server tick however slow the machine is (a flood of requests
 * may trickle in under 50 per tick on a loaded one and never be coalesced).
 */
async function burst(endpointId: string, n: number): Promise<number> {
  const c = new pg.Client({ connectionString: process.env.HOOKSCOPE_E2E_DATABASE_URL });
  await c.connect();
  try {
    await c.query("BEGIN");
    const { rows: seqRows } = await c.query<{ seq: string }>(
      `UPDATE endpoints SET capture_seq = capture_seq + $2, capture_count = capture_count + $2, last_capture_at = now()
        WHERE id = $1 RETURNING capture_seq::text AS seq`,
      [endpointId, n],
    );
    const to = Number(seqRows[0]!.seq);
    await c.query(
      `INSERT INTO captures (id, endpoint_id, seq, method, path, query, headers, body, body_size, declared_length,
                             content_type, remote_address, http_version, received_at, duration_us, response_status)
       SELECT gen_random_uuid(), $1::uuid, s, 'POST', '/burst/' || s, NULL, '[["Content-Type","application/json"]]'::jsonb,
              convert_to('{"seq":' || s || '}', 'UTF8'), 10, 10, 'application/json', '203.0.113.7', '1.1', now(), 500, 200
         FROM generate_series($2::bigint, $3::bigint) s`,
      [endpointId, to - n + 1, to],
    );
    await c.query("SELECT pg_notify('hookscope_captures', $1)", [JSON.stringify({ e: [[endpointId, to]] })]);
    await c.query("COMMIT");
    return to;
  } finally {
    await c.end();
  }
}

const selected = (page: import("@playwright/test").Page) => page.locator('[data-testid="capture-row"][aria-selected="true"]');

test("follow newest: the first capture opens by itself, an older pick stops following, the toggle or the newest resumes it", async ({
  page,
}) => {
  const { captureUrl } = await createEndpointFromHome(page);
  const follow = page.getByTestId("follow-newest");
  await expect(follow).toBeChecked();
  await expect(follow).toHaveAccessibleName("Follow newest");

  // No click: the first capture opens.
  await sendJson(captureUrl, { n: 1 });
  await expect(row(page, 1)).toHaveAttribute("aria-selected", "true");
  const first = await row(page, 1).getAttribute("data-capture-id");
  await expect(page.getByTestId("capture-detail")).toHaveAttribute("data-capture-id", first!);
  await sendJson(captureUrl, { n: 2 });
  await expect(row(page, 2)).toHaveAttribute("aria-selected", "true");
  await expect(page).toHaveURL(new RegExp(`/captures/${await row(page, 2).getAttribute("data-capture-id")}$`));
  await screenshot(page, "follow-newest");

  // Picking an older one stops following: a new arrival does not take the selection away.
  await row(page, 1).click();
  await expect(follow).not.toBeChecked();
  await sendJson(captureUrl, { n: 3 });
  await expect(row(page, 3)).toBeVisible();
  await expect(row(page, 1)).toHaveAttribute("aria-selected", "true");
  await expect(selected(page)).toHaveCount(1);

  // The toggle follows again at once.
  await follow.click();
  await expect(follow).toBeChecked();
  await expect(row(page, 3)).toHaveAttribute("aria-selected", "true");

  // Picking the newest keeps following.
  await row(page, 2).click();
  await expect(follow).not.toBeChecked();
  await row(page, 3).click();
  await expect(follow).toBeChecked();
  await sendJson(captureUrl, { n: 4 });
  await expect(row(page, 4)).toHaveAttribute("aria-selected", "true");
});

test("following through a burst, a selection that trails the rows never scrolls the list away from its top", async ({ page }) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  for (let i = 1; i <= 30; i++) await sendJson(captureUrl, { i }, { path: `/n/${i}` });
  await expect(row(page, 30)).toHaveAttribute("aria-selected", "true");
  const list = page.getByTestId("capture-list");
  await list.evaluate((el) => {
    (window as unknown as { maxListScroll: number }).maxListScroll = 0;
    el.addEventListener("scroll", () => {
      const w = window as unknown as { maxListScroll: number };
      w.maxListScroll = Math.max(w.maxListScroll, el.scrollTop);
    });
  });
  // What a burst does on a busy machine: the URL (the selection) lands after more rows did, on a
  // capture that is already far down the list. Revealing it scrolled the list, which paused
  // following and turned every later arrival into "N new" (CI saw it).
  const trailing = await row(page, 12).getAttribute("data-capture-id");
  await page.evaluate(([e, c]) => history.replaceState(null, "", `/endpoints/${e}/captures/${c}`), [id, trailing!]);
  await sendJson(captureUrl, { i: 31 });
  await expect(row(page, 31)).toHaveAttribute("aria-selected", "true");
  expect(await page.evaluate(() => (window as unknown as { maxListScroll: number }).maxListScroll)).toBe(0);
  await expect(page.getByTestId("back-to-newest").or(page.getByTestId("new-captures-pill"))).toHaveCount(0);
});

test("busy streams: a burst reaches the list as a coalesced reload of the newest page; follow newest opens the newest, no hole", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { id } = await createEndpointFromHome(page);
  // The stream says "this many came" instead of sending each one; the list then reads its newest page.
  const newestPageReads: string[] = [];
  page.on("request", (r) => {
    if (/\/captures\?limit=200$/.test(r.url())) newestPageReads.push(r.url());
  });
  await burst(id, 400);
  await expect(row(page, 400)).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("capture-detail")).toHaveAttribute(
    "data-capture-id",
    (await row(page, 400).getAttribute("data-capture-id"))!,
  );
  expect(newestPageReads.length, "the newest page was read after a coalesced burst").toBeGreaterThan(0);
  // What the list shows has no hole: the rows in view count down by one from the newest.
  const shown = await rows(page).evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))));
  expect(shown.slice(0, 15)).toEqual(Array.from({ length: 15 }, (_, i) => 400 - i));
  await expect(page.getByTestId("back-to-newest").or(page.getByTestId("new-captures-pill"))).toHaveCount(0);
  await screenshot(page, "dashboard-after-burst");
});

test("busy streams: a second burst while the reader is scrolled down is counted whole in the pill, and the list has no hole", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { id } = await createEndpointFromHome(page);
  await burst(id, 400);
  await expect(row(page, 400)).toHaveAttribute("aria-selected", "true");
  // Reading an older one, further down: not following, away from the top.
  await row(page, 399).click();
  await expect(page.getByTestId("follow-newest")).not.toBeChecked();
  const picked = await row(page, 399).getAttribute("data-capture-id");
  await page.getByTestId("capture-list").evaluate((el) => (el.scrollTop = 2400));
  await expect(page.getByTestId("back-to-newest")).toBeVisible();
  // The stream can send a burst as a coalesced frame and its last capture on its own in the next
  // tick: the list once took that one as its top and merged nothing of the newest page it read
  // ("↑ 1 new", and 520 right above 400). A burst bigger than the newest page (200) once replaced
  // the list, so the reader lost their place: the pages down to the list's top are read now.
  await burst(id, 600);
  await expect(page.getByTestId("new-captures-pill")).toHaveText("↑ 600 new");
  // The reader keeps their place and their pick.
  await expect(row(page, 357)).toBeVisible();
  await expect(page.getByTestId("capture-detail")).toHaveAttribute("data-capture-id", picked!);
  await page.getByTestId("new-captures-pill").click();
  await expect(row(page, 1000)).toBeVisible();
  const shown = await rows(page).evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))));
  expect(shown.slice(0, 15)).toEqual(Array.from({ length: 15 }, (_, i) => 1000 - i));
  // Down the list, the burst meets what was there before it with no hole.
  await page.getByTestId("capture-list").evaluate((el) => {
    const rowHeight = el.querySelector('[data-testid="capture-row"]')!.getBoundingClientRect().height;
    el.scrollTop = 600 * rowHeight - 200;
  });
  await expect(row(page, 401)).toBeVisible();
  await expect(row(page, 400)).toBeVisible();
  const around = await rows(page).evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))));
  expect(around, "rows in view count down by one across the burst's edge").toEqual(
    Array.from({ length: around.length }, (_, i) => around[0]! - i),
  );
  await screenshot(page, "dashboard-second-burst");
});

test("hidden tab: the title counts arrivals and clears on return; notifications only after the click, one per batch", async ({
  page,
  baseURL,
}) => {
  // The page's visibility is stubbed (a getter on document.visibilityState, changed with a
  // dispatched visibilitychange), and window.Notification wrapped to record what is shown.
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    const shown: { title: string; body: string }[] = [];
    let asked = 0;
    w.__shown = shown;
    w.__asked = () => asked;
    const Real = window.Notification;
    function Spy(title: string, opts?: NotificationOptions) {
      shown.push({ title, body: opts?.body ?? "" });
      return new Real(title, opts);
    }
    Object.defineProperty(Spy, "permission", { get: () => Real.permission });
    (Spy as unknown as { requestPermission: () => Promise<NotificationPermission> }).requestPermission = () => {
      asked++;
      return Real.requestPermission();
    };
    w.Notification = Spy;
    let hidden = false;
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    w.__setHidden = (h: boolean) => {
      hidden = h;
      document.dispatchEvent(new Event("visibilitychange"));
    };
  });
  await page.context().grantPermissions(["notifications"], { origin: baseURL });
  const { captureUrl } = await createEndpointFromHome(page);
  const setHidden = (h: boolean) => page.evaluate((v) => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(v), h);
  const shown = () => page.evaluate(() => (window as unknown as { __shown: { title: string; body: string }[] }).__shown);

  // Off by default: a hidden arrival counts in the title but notifies nobody.
  const notify = page.getByTestId("notify-toggle");
  await expect(notify).toHaveAttribute("aria-pressed", "false");
  await setHidden(true);
  await sendJson(captureUrl, { n: 1 });
  await expect(page).toHaveTitle(/^\(1\) .+ · Hookscope$/);
  await sendJson(captureUrl, { n: 2 });
  await expect(page).toHaveTitle(/^\(2\) /);
  expect(await shown()).toEqual([]);
  await setHidden(false);
  await expect(page).toHaveTitle(/^(?!\().+ · Hookscope$/);

  // On (with the click); then each batch that arrives while hidden is one notification.
  await notify.click();
  await expect(notify).toHaveAttribute("aria-pressed", "true");
  await setHidden(true);
  await sendJson(captureUrl, { n: 3 }, { path: "/orders" });
  await expect.poll(shown).toEqual([{ title: expect.stringMatching(/^New capture · /), body: expect.stringMatching(/^POST \/orders$/) }]);
  await expect(page).toHaveTitle(/^\(1\) /);
  await setHidden(false);
  await expect(page).not.toHaveTitle(/^\(/);
  // Visible: no notification.
  await sendJson(captureUrl, { n: 4 });
  await expect(row(page, 4)).toBeVisible();
  expect(await shown()).toHaveLength(1);

  // Remembered in this browser.
  await page.reload();
  await expect(page.getByTestId("notify-toggle")).toHaveAttribute("aria-pressed", "true");
  expect(await page.evaluate(() => (window as unknown as { __asked: () => number }).__asked())).toBe(0);
});

test("permission is asked only from the button's click", async ({ page }) => {
  await page.addInitScript(() => {
    let asked = 0;
    (window as unknown as Record<string, unknown>).__asked = () => asked;
    const real = Notification.requestPermission.bind(Notification);
    Notification.requestPermission = () => {
      asked++;
      return real();
    };
  });
  await createEndpointFromHome(page);
  const asked = () => page.evaluate(() => (window as unknown as { __asked: () => number }).__asked());
  expect(await asked()).toBe(0);
  await page.getByTestId("notify-toggle").click();
  await expect.poll(asked).toBe(1);
});

/** How many line boxes the first occurrence of `needle` inside `el`'s text takes. */
async function linesOf(page: import("@playwright/test").Page, testId: string, needle: string): Promise<number> {
  return page.getByTestId(testId).evaluate((el, n) => {
    const text = el.firstChild!;
    const at = text.textContent!.indexOf(n);
    if (at < 0) throw new Error(`not found: ${n}`);
    const r = document.createRange();
    r.setStart(text, at);
    r.setEnd(text, at + n.length);
    return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size;
  }, needle);
}

test("empty endpoint: the main pane shows the URL, examples that never break inside the URL, providers and Send test event", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const { captureUrl } = await createEndpointFromHome(page);
  const empty = page.locator('[data-pane="detail"]').getByTestId("endpoint-empty");
  await expect(empty).toBeVisible();
  await expect(empty.getByTestId("empty-capture-url")).toHaveText(captureUrl);
  await expect(empty.getByTestId("sample-json")).toContainText("curl -X POST");
  await expect(empty.getByTestId("sample-json")).toContainText(`'${captureUrl}'`);
  await expect(empty.getByTestId("sample-json")).toContainText("Content-Type: application/json");
  await expect(empty.getByTestId("sample-form")).toContainText("-d 'name=Ada Lovelace'");
  await expect(empty).toContainText("Developers → Webhooks → Add endpoint");
  await expect(empty).toContainText("Settings → Webhooks → Add webhook");
  await expect(empty).toContainText("application/json");
  await expect(empty.getByRole("button", { name: "Send test event" })).toBeVisible();
  await expect(page.getByText(/on the left/)).toHaveCount(0);
  for (const id of ["empty-capture-url", "sample-json", "sample-form"]) {
    await expect(empty.getByTestId(id)).toHaveCSS("white-space", "pre");
  }
  await screenshot(page, "empty-endpoint-desktop");

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(empty).toBeVisible();
  for (const id of ["empty-capture-url", "sample-json", "sample-form"]) {
    expect(await linesOf(page, id, captureUrl)).toBe(1);
    // and all of it on screen, the slug included (no sideways scrolling needed at 390 px)
    expect(await page.getByTestId(id).evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  }
  await expect(page.getByText(/on the left|on the right/)).toHaveCount(0);
  await screenshot(page, "empty-endpoint-phone");

  // The first capture opens by itself in its place.
  await sendJson(captureUrl, { first: true });
  await expect(page.getByTestId("capture-detail")).toBeVisible();
  await expect(empty).toBeHidden();
});

test("server gone: Reconnecting, then Disconnected in red with a countdown; a row clicked meanwhile says so and loads when it is back", async ({
  page,
}) => {
  // A replica on the same database serves the page and is killed: the server really goes away.
  const databaseUrl = process.env.HOOKSCOPE_E2E_DATABASE_URL!;
  let replica = await startApp({ databaseUrl, env: E2E_APP_ENV });
  const port = replica.port;
  try {
    const { id, captureUrl } = await createEndpointFromHome(page);
    await sendJson(captureUrl, { n: 1 });
    await sendJson(captureUrl, { n: 2 });
    // Every status the badge shows, in order.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as Record<string, unknown>).__statuses = seen;
      new MutationObserver(() => {
        const s = document.querySelector('[data-testid="live-indicator"]')?.getAttribute("data-status");
        if (s && seen[seen.length - 1] !== s) seen.push(s);
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
    });
    await page.goto(`${replica.baseUrl}/endpoints/${id}`);
    const indicator = page.getByTestId("live-indicator");
    await expect(indicator).toHaveAttribute("data-status", "live");
    await expect(row(page, 2)).toHaveAttribute("aria-selected", "true");

    await replica.kill();
    await expect(indicator).toHaveAttribute("data-status", "disconnected");
    const statuses = await page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
    expect(statuses.slice(-3)).toEqual(["live", "reconnecting", "disconnected"]);
    await expect(indicator).toHaveText(/Disconnected · retrying in \d+ s/);
    await expect(indicator.locator("span").first()).toHaveClass(/bg-red-600/);
    await expect(indicator).not.toHaveAttribute("title", /proxy/);
    // The count goes down.
    const before = Number(/in (\d+) s/.exec((await indicator.textContent())!)![1]);
    await expect.poll(async () => /in (\d+) s/.exec((await indicator.textContent()) ?? "")?.[1]).not.toBe(String(before));

    await row(page, 1).click();
    await expect(page.getByTestId("detail-unreachable")).toContainText("Can't reach the server");
    await expect(page.getByTestId("capture-detail-loading")).toHaveCount(0);
    await screenshot(page, "connection-disconnected");

    replica = await startApp({ databaseUrl, port, env: E2E_APP_ENV });
    await expect(indicator).toHaveAttribute("data-status", "live", { timeout: 60_000 });
    // No click: the capture picked while down loads.
    await expect(page.getByTestId("capture-detail")).toHaveAttribute(
      "data-capture-id",
      (await row(page, 1).getAttribute("data-capture-id"))!,
    );
    await expect(page.getByTestId("detail-unreachable")).toHaveCount(0);
  } finally {
    await replica.stop();
  }
});

test("forwarding counts move while the tab is open, and every toggle has a label", async ({ page }) => {
  const target = await startTarget();
  try {
    const { captureUrl } = await createEndpointFromHome(page);
    await page.getByTestId("open-settings").click();
    await page.getByTestId("settings-tab-forwarding").click();
    const tab = page.getByTestId("forwarding-tab");
    await tab.getByTestId("forward-target").fill(`${target.url}/fwd`);
    await tab.getByTestId("forward-add").click();
    await expect(tab.getByTestId("forward-rule-counts")).toHaveText("0 delivered · 0 pending · 0 failed");
    for (const box of await page.locator('input[type="checkbox"]:visible').all()) await expect(box).toHaveAccessibleName(/\S/);

    // The dialog stays open: the arrival refreshes the counts (sooner than the 4 s poll).
    await send(captureUrl, { body: "forward me" });
    await expect.poll(() => target.received.length).toBe(1);
    await expect(tab.getByTestId("forward-rule-counts")).toHaveText("1 delivered · 0 pending · 0 failed", { timeout: 3500 });
    await page.keyboard.press("Escape");

    // The dashboard's own toggles (follow newest) are named too. A row's compare tick is a drawn
    // mouse affordance, not a control (an option holds none; "x" ticks from the keyboard).
    await expect(row(page, 1)).toBeVisible();
    const toggles = page.locator('input[type="checkbox"]:visible');
    expect(await toggles.count()).toBeGreaterThan(0);
    for (const box of await toggles.all()) await expect(box).toHaveAccessibleName(/\S/);
    await expect(row(page, 1).getByRole("checkbox")).toHaveCount(0); // no control inside an option
  } finally {
    await target.close();
  }
});
