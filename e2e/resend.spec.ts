// Resend and forward from the dashboard, to a local test server started here (the e2e server
// allows private targets, see global-setup.ts): a binary body arrives byte for byte and the
// delivery shows in the capture's list; a forward rule added in Settings (with the API's own
// validation messages) forwards new captures, and its attempts show as deliveries.
import crypto from "node:crypto";
import Stripe from "stripe";
import { createEndpointFromHome, expect, row, screenshot, send, startTarget, test } from "./fixtures";

test("resend a binary capture: the editor keeps the bytes, the target gets them exactly, the delivery is listed", async ({ page }) => {
  const target = await startTarget({ status: 201, answer: "thanks <b>not bold</b>" });
  try {
    const { captureUrl } = await createEndpointFromHome(page);
    // Random bytes, with a NUL and an invalid UTF-8 sequence for sure.
    const bytes = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28]), crypto.randomBytes(4096)]);
    const sent = await send(captureUrl, {
      path: "/files/upload",
      headers: [
        ["Content-Type", "application/octet-stream"],
        ["X-Custom-Case", "Kept"],
      ],
      body: bytes,
    });
    expect(sent.status).toBe(200);
    await row(page, 1).click();

    await page.getByTestId("resend-open").click();
    const dialog = page.getByTestId("resend-dialog");
    await expect(dialog.getByTestId("resend-binary-note")).toContainText("4,101 bytes");
    await expect(dialog.getByTestId("resend-method")).toHaveValue("POST");
    // Refused with the schema's message first.
    await dialog.getByTestId("resend-url").fill("not a url");
    await dialog.getByTestId("resend-send").click();
    await expect(dialog.getByTestId("field-error").first()).toContainText("absolute http:// or https:// URL");

    await dialog.getByTestId("resend-url").fill(`${target.url}/hooks/in?x=1`);
    await screenshot(page, "resend-editor");
    await dialog.getByTestId("resend-send").click();
    await expect(dialog.getByTestId("resend-result")).toContainText("201");

    await expect.poll(() => target.received.length).toBe(1);
    const got = target.received[0]!;
    expect(got.method).toBe("POST");
    expect(got.url).toBe("/hooks/in?x=1");
    expect(got.body.equals(bytes)).toBe(true);
    expect(got.headers).toContainEqual(["X-Custom-Case", "Kept"]);
    expect(got.headers).toContainEqual(["Content-Type", "application/octet-stream"]);

    await dialog.getByRole("button", { name: "Close" }).last().click();
    const list = page.getByTestId("delivery-list");
    const delivery = list.getByTestId("delivery-row").first();
    await expect(delivery).toHaveAttribute("data-status", "201");
    await expect(delivery).toHaveAttribute("data-kind", "resend");
    await expect(delivery).toContainText(`${target.url}/hooks/in?x=1`);
    await delivery.getByRole("button").click();
    // The response body is text, markup included.
    await expect(delivery.getByTestId("delivery-response-body")).toHaveText("thanks <b>not bold</b>");
    await expect(delivery.getByTestId("delivery-detail")).toContainText("byte for byte");
    await screenshot(page, "resend-deliveries");
  } finally {
    await target.close();
  }
});

test("forward rule from Settings: refused with the API's message, then added; new captures are forwarded and each attempt is a delivery", async ({
  page,
}) => {
  const target = await startTarget();
  try {
    const { captureUrl } = await createEndpointFromHome(page);
    await page.getByTestId("open-settings").click();
    await page.getByTestId("settings-tab-forwarding").click();
    const tab = page.getByTestId("forwarding-tab");
    await tab.getByTestId("forward-target").fill("localhost:3000");
    await tab.getByTestId("forward-path").fill("stripe");
    await tab.getByTestId("forward-add").click();
    await expect(tab.getByTestId("field-error").filter({ hasText: "absolute http:// or https:// URL" })).toBeVisible();
    await expect(tab.getByTestId("field-error").filter({ hasText: 'Path prefix must start with "/"' })).toBeVisible();

    await tab.getByTestId("forward-target").fill(`${target.url}/fwd`);
    await tab.getByTestId("forward-path").fill("/stripe");
    await tab.getByTestId("forward-add").click();
    await expect(tab.getByTestId("forward-rule")).toHaveCount(1);
    await expect(tab.getByTestId("forward-rule")).toContainText("path starts /stripe");
    await page.keyboard.press("Escape");

    await send(captureUrl, { path: "/stripe/events", headers: [["Content-Type", "application/json"]], body: '{"id":"evt_1"}' });
    await send(captureUrl, { path: "/github", headers: [["Content-Type", "application/json"]], body: '{"not":"forwarded"}' });
    await expect.poll(() => target.received.length).toBe(1);
    expect(target.received[0]!.url).toBe("/fwd/stripe/events");
    expect(target.received[0]!.body.toString()).toBe('{"id":"evt_1"}');

    await row(page, 1).click();
    const delivery = page.getByTestId("delivery-list").getByTestId("delivery-row").first();
    await expect(delivery).toHaveAttribute("data-kind", "forward");
    await expect(delivery).toHaveAttribute("data-outcome", "succeeded");
    await expect(delivery).toContainText("attempt 1");
    await row(page, 2).click();
    await expect(page.getByTestId("delivery-list")).toContainText("Not sent anywhere yet");

    await page.getByTestId("open-settings").click();
    await page.getByTestId("settings-tab-forwarding").click();
    await expect(page.getByTestId("forward-rule-counts")).toContainText("1 delivered");
    await screenshot(page, "forward-rules");
    // Off: new captures are not forwarded.
    await page.getByTestId("forward-rule-toggle").click(); // uncheck() demands the state change within the click itself
    await expect(page.getByTestId("forward-rule-toggle")).not.toBeChecked();
    await expect(page.getByTestId("forward-rule")).toHaveAttribute("data-enabled", "false");
    await page.getByTestId("settings-tab-forwarding").click(); // the refetch keeps it off
    await expect(page.getByTestId("forward-rule-toggle")).not.toBeChecked();
    await page.keyboard.press("Escape");
    await send(captureUrl, { path: "/stripe/later", body: "x" });
    await expect(row(page, 3)).toBeVisible();
    // A matching capture is queued in the capture's own transaction; off, nothing was queued.
    await page.getByTestId("open-settings").click();
    await page.getByTestId("settings-tab-forwarding").click();
    await expect(page.getByTestId("forward-rule-counts")).toHaveText("1 delivered · 0 pending · 0 failed");
    expect(target.received.length).toBe(1);
  } finally {
    await target.close();
  }
});

test("retry failed: a rule's failed captures go out again in one click, and the counts follow", async ({ page }) => {
  const answer = { status: 503, answer: "down for maintenance" };
  const target = await startTarget(answer);
  try {
    const { id, captureUrl } = await createEndpointFromHome(page);
    // One attempt (set through the API, with the cookie the page holds), so each capture fails at once.
    const created = await page.request.post(`/api/endpoints/${id}/forward-rules`, {
      data: { targetUrl: `${target.url}/fwd`, maxAttempts: 1 },
    });
    expect(created.status(), await created.text()).toBe(201);
    await send(captureUrl, { body: "first" });
    await send(captureUrl, { body: "second" });
    await expect.poll(() => target.received.length).toBe(2);

    await page.getByTestId("open-settings").click();
    await page.getByTestId("settings-tab-forwarding").click();
    const counts = page.getByTestId("forward-rule-counts");
    await expect(counts).toHaveText("0 delivered · 0 pending · 2 failed");
    const retry = page.getByTestId("forward-rule-retry");
    await expect(retry).toHaveText("Retry 2 failed");
    await screenshot(page, "forward-retry-failed");

    answer.status = 200;
    await retry.click();
    await expect(page.getByRole("status").filter({ hasText: "2 failed captures queued again" })).toBeVisible();
    await expect(counts).toHaveText("2 delivered · 0 pending · 0 failed");
    await expect(retry).toHaveCount(0);
    expect(target.received.map((r) => r.body.toString()).sort()).toEqual(["first", "first", "second", "second"]);
  } finally {
    await target.close();
  }
});

test("forward rule that re-signs: set in Settings, the target gets the production event signed with the test secret", async ({ page }) => {
  const target = await startTarget();
  try {
    const stripe = new Stripe("sk_test_hookscope_e2e");
    const testSecret = `whsec_test_${crypto.randomBytes(6).toString("hex")}`;
    const { captureUrl } = await createEndpointFromHome(page);
    await page.getByTestId("open-settings").click();
    await page.getByTestId("settings-tab-forwarding").click();
    const tab = page.getByTestId("forwarding-tab");
    await tab.getByTestId("forward-target").fill(`${target.url}/local`);
    await tab.getByTestId("forward-resign").check();
    await tab.getByTestId("forward-resign-secret").fill(` ${testSecret}`);
    await tab.getByTestId("forward-add").click();
    await expect(tab.getByTestId("field-error").filter({ hasText: "whitespace" })).toBeVisible();
    await tab.getByTestId("forward-resign-secret").fill(testSecret);
    await tab.getByTestId("forward-add").click();
    await expect(tab.getByTestId("forward-rule")).toHaveCount(1);
    // Only a hint of the secret is shown once saved.
    await expect(tab.getByTestId("forward-rule")).toContainText(`re-signs (auto, whsec_…${testSecret.slice(-4)})`);
    await expect(tab.getByTestId("forward-rule")).not.toContainText(testSecret);
    await screenshot(page, "forward-rule-resign");
    await page.keyboard.press("Escape");

    const body = '{"id":"evt_live_9","object":"event","type":"payment_intent.succeeded","livemode":true}';
    const production = stripe.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_production_only" });
    await send(captureUrl, {
      path: "/stripe",
      headers: [
        ["Content-Type", "application/json"],
        ["Stripe-Signature", production],
      ],
      body,
    });
    await expect.poll(() => target.received.length).toBe(1);
    const got = target.received[0]!;
    expect(got.body.toString()).toBe(body);
    const sig = got.headers.find(([n]) => /^stripe-signature$/i.test(n))![1];
    expect(stripe.webhooks.constructEvent(got.body, sig, testSecret).id).toBe("evt_live_9");

    await row(page, 1).click();
    const delivery = page.getByTestId("delivery-list").getByTestId("delivery-row").first();
    await expect(delivery).toHaveAttribute("data-outcome", "succeeded");
    await delivery.getByRole("button").click();
    await expect(delivery.getByTestId("delivery-detail")).toContainText("re-signed (stripe)");
  } finally {
    await target.close();
  }
});
