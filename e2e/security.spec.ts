// The dashboard under its strict Content-Security-Policy (scripts only with the response's
// nonce): it still hydrates and works, the no-flash theme script still runs before React, and
// the browser reports no CSP violation on the way. test/security-headers.test.ts checks the
// headers themselves.
import type { Page } from "@playwright/test";
import { createEndpointFromHome, expect, row, screenshot, sendJson, test } from "./fixtures";

/** Collects every CSP violation the page reports, from the first byte of each document. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction("__cspViolation", (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test("under the nonce CSP the dashboard hydrates, goes live, runs the theme script, and nothing is blocked", async ({ page }) => {
  const violations = await watchViolations(page);
  // Hydrated and interactive: the button works, the live stream connects, a capture shows up.
  const { captureUrl } = await createEndpointFromHome(page);
  await sendJson(captureUrl, { csp: "strict" }, { path: "/csp" });
  await row(page, 1).click();
  await expect(page.getByTestId("capture-row")).toHaveCount(1);

  await page.getByRole("button", { name: "Dark" }).click();
  await page.reload({ waitUntil: "domcontentloaded" });
  // Only the inline theme script (allowed by its nonce) can have set this before React ran.
  expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  await screenshot(page, "security-csp-dashboard");

  await page.goto("/");
  await expect(page.getByTestId("endpoint-item")).toHaveCount(1);
  expect(violations).toEqual([]);

  // The policy is really enforced: markup that slipped into the page (the way captured content
  // would, were it ever rendered as HTML) cannot run an inline handler.
  await page.evaluate(() => {
    const div = document.createElement("div");
    div.innerHTML = '<img src="data:," onerror="window.__injected = true" onload="window.__injected = true">';
    document.body.appendChild(div);
  });
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected === true)).toBe(false);
});

test("a capture URL that answers HTML with a script runs nothing in the dashboard's origin; the settings refuse origin-acting headers", async ({
  page,
}) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  const origin = new URL(captureUrl).origin;
  // A key cookie for the whole site, as versions before /api-only cookies set (browsers keep them
  // for 400 days): it goes with a visit to any capture URL, and capture must not store it.
  const key = await page.getByTestId("management-key").inputValue();
  await page
    .context()
    .addCookies([{ name: `hsk_${id}`, value: key, domain: new URL(origin).hostname, path: "/", httpOnly: true, sameSite: "Lax" }]);
  // Anyone's endpoint (no key needed) answering a page whose script would act with the victim's cookie.
  const script = [
    'document.title = "ran"',
    `fetch("/api/endpoints/${id}/shares", { method: "POST" })`,
    'navigator.serviceWorker.register("/h/x/sw.js", { scope: "/" })',
  ].join("; ");
  const created = await fetch(`${origin}/api/endpoints`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ response: { contentType: "text/html", body: `<title>trap</title><script>${script}</script><p>trap page</p>` } }),
  });
  const trap = (await created.json()) as { id: string; captureUrl: string; managementKey: string };
  const calls: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/api/")) calls.push(`${r.method()} ${r.url()}`);
  });
  await page.goto(trap.captureUrl);
  await expect(page.getByText("trap page")).toBeVisible();
  await expect(page).toHaveTitle("trap");
  expect(calls).toEqual([]);
  // The visit is the trap's capture, which its owner reads: the victim's key cookie is not in it.
  const trapAuth = { authorization: `Bearer ${trap.managementKey}` };
  const list = (await (await fetch(`${origin}/api/endpoints/${trap.id}/captures`, { headers: trapAuth })).json()) as {
    items: { id: string }[];
  };
  expect(list.items).toHaveLength(1);
  const visit = (await (await fetch(`${origin}/api/captures/${list.items[0]!.id}`, { headers: trapAuth })).json()) as {
    headers: [string, string][];
  };
  expect(visit.headers.map(([n]) => n.toLowerCase())).toContain("user-agent");
  expect(JSON.stringify(visit.headers)).not.toContain("hsk_");
  expect(JSON.stringify(visit.headers)).not.toContain(key);
  const shares = await page.request.get(`/api/endpoints/${id}/shares`);
  expect(((await shares.json()) as { items: unknown[] }).items).toEqual([]);

  // The settings form says why such a header cannot be configured, next to it, and saves nothing.
  await page.goto(`/endpoints/${id}`);
  await page.getByTestId("open-settings").click();
  const dialog = page.getByTestId("settings-dialog");
  await dialog.getByRole("button", { name: "+ Add header" }).click();
  await dialog.getByLabel("Header 1 name").fill("Set-Cookie");
  await dialog.getByLabel("Header 1 value").fill("a=1; Path=/");
  await dialog.getByRole("button", { name: "Save settings" }).click();
  await expect(dialog.getByTestId("field-error")).toContainText(
    "Set-Cookie cannot be configured: it would store a cookie for the whole host",
  );
  await dialog.getByLabel("Header 1 name").fill("Location");
  await dialog.getByLabel("Header 1 value").fill("https://evil.example/login");
  await dialog.getByRole("button", { name: "Save settings" }).click();
  await expect(dialog.getByTestId("field-error")).toContainText("Location must be a path on this host");
});
