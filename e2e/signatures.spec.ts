// Signature verification in the dashboard: a Stripe secret added in the settings' Signing secrets
// tab, requests signed by the `stripe` library itself (one intact, one with its body changed after
// signing) judged valid and invalid in the list and explained, and "Send test event" landing a
// capture with a valid badge.
import Stripe from "stripe";
import { createEndpointFromHome, expect, row, rows, screenshot, send, test } from "./fixtures";

const SECRET = "whsec_e2e_9f3a1c7b5d2e4f6081a3b5c7d9e1f203";
const stripe = new Stripe("sk_test_hookscope_e2e");

function payload(status: string): string {
  return JSON.stringify({
    id: "evt_e2e_1",
    object: "event",
    type: `payment_intent.${status}`,
    data: { object: { id: "pi_e2e_1", object: "payment_intent", amount: 2000, currency: "usd", status } },
  });
}

test("a Stripe secret in settings: signed requests get valid / invalid badges and an explanation; a test event lands valid", async ({
  page,
}) => {
  const { captureUrl } = await createEndpointFromHome(page);

  // Settings → Signing secrets: add the Stripe secret. Afterwards only its hint is shown.
  await page.getByTestId("open-settings").click();
  const dialog = page.getByTestId("settings-dialog");
  await dialog.getByRole("tab", { name: "Signing secrets" }).click();
  await expect(dialog.getByRole("tab", { name: "Signing secrets" })).toHaveAttribute("aria-selected", "true");
  const panel = dialog.getByTestId("settings-panel-secrets");
  await expect(panel.getByText("No signing secrets yet.")).toBeVisible();
  await panel.getByRole("button", { name: "Add secret" }).click();
  await panel.getByLabel("Label").fill("Stripe test mode");
  await panel.getByLabel("Scheme").selectOption("stripe");
  await panel.getByPlaceholder(/whsec_/).fill(SECRET);
  await panel.getByRole("button", { name: "Save secret" }).click();
  const saved = panel.getByRole("listitem").filter({ hasText: "Stripe test mode" });
  await expect(saved).toContainText("whsec_");
  await expect(saved).toContainText(SECRET.slice(-4));
  await expect(panel).not.toContainText(SECRET);
  await screenshot(page, "settings-secrets");
  // The Response tab is still one click away, with its form intact.
  await dialog.getByRole("tab", { name: "Response" }).click();
  await expect(dialog.getByLabel("Status")).toHaveValue("200");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // A request signed by stripe-node, and one whose body changed after it was signed.
  const good = payload("succeeded");
  const goodHeader = stripe.webhooks.generateTestHeaderString({ payload: good, secret: SECRET });
  expect(
    (
      await send(captureUrl, {
        path: "/stripe",
        headers: [
          ["Content-Type", "application/json"],
          ["Stripe-Signature", goodHeader],
        ],
        body: good,
      })
    ).status,
  ).toBe(200);
  const signedFor = payload("processing");
  const tamperedHeader = stripe.webhooks.generateTestHeaderString({ payload: signedFor, secret: SECRET });
  const tampered = signedFor.replace("processing", "succeeded");
  expect(
    (
      await send(captureUrl, {
        path: "/stripe",
        headers: [
          ["Content-Type", "application/json"],
          ["Stripe-Signature", tamperedHeader],
        ],
        body: tampered,
      })
    ).status,
  ).toBe(200);

  await expect(rows(page)).toHaveCount(2);
  const validBadge = row(page, 1).locator("[data-signature-status]");
  const invalidBadge = row(page, 2).locator("[data-signature-status]");
  await expect(validBadge).toHaveAttribute("data-signature-status", "valid");
  await expect(validBadge).toHaveText("✓ Stripe");
  await expect(validBadge).toHaveAttribute("title", /Valid signature \(Stripe\) with “Stripe test mode”/);
  await expect(invalidBadge).toHaveAttribute("data-signature-status", "invalid");
  await expect(invalidBadge).toHaveText("✗ Stripe");
  // After a reload the verdicts come with the list itself, not from the batch route.
  await page.reload();
  await expect(row(page, 1).locator('[data-signature-status="valid"]')).toBeVisible();
  await expect(row(page, 2).locator('[data-signature-status="invalid"]')).toBeVisible();

  // The explanation of the invalid one, in the detail pane: the header read, the signature the
  // stored bytes call for (what stripe-node would have sent for them, same timestamp) and why.
  await row(page, 2).click();
  const verdict = page.locator('[data-pane="detail"] [data-signature-status]');
  await expect(verdict).toHaveAttribute("data-signature-status", "invalid");
  await expect(verdict).toContainText("Invalid signature");
  await expect(verdict).toContainText("does not match the exact bytes that arrived using the secret “Stripe test mode”");
  await expect(verdict).toContainText("Stripe-Signature");
  await expect(verdict).toContainText("Computed from the exact bytes stored for this capture.");
  const t = Number(/t=(\d+)/.exec(tamperedHeader)![1]);
  const expected = stripe.webhooks.generateTestHeaderString({ payload: tampered, secret: SECRET, timestamp: t });
  await expect(verdict).toContainText(expected);
  await expect(verdict).toContainText(tamperedHeader);
  // The API says the same.
  const invalidId = (await row(page, 2).getAttribute("data-capture-id"))!;
  const explained = await (await page.request.get(`/api/captures/${invalidId}/signature`)).json();
  expect(explained).toMatchObject({ status: "invalid", scheme: "stripe", header: "Stripe-Signature", expected, received: tamperedHeader });
  await verdict.scrollIntoViewIfNeeded();
  await screenshot(page, "signature-invalid");

  // "Send test event": a Stripe payment_intent.succeeded signed with the stored secret, to this endpoint.
  await page.getByRole("button", { name: "Send test event" }).click();
  const sendDialog = page.locator("dialog[open]").filter({ hasText: "Send a signed test event" });
  await expect(sendDialog.getByLabel("Provider")).toHaveValue("stripe");
  await expect(sendDialog.getByRole("combobox").nth(2)).toContainText("Stripe test mode");
  await sendDialog.getByRole("button", { name: "Send", exact: true }).click();
  await expect(sendDialog.getByTestId("test-event-result")).toContainText("200");
  await expect(row(page, 3).locator("[data-signature-status]")).toHaveAttribute("data-signature-status", "valid");
  await sendDialog.getByRole("button", { name: "Show the capture" }).click();
  await expect(sendDialog).toBeHidden();
  await expect(row(page, 3)).toHaveAttribute("aria-selected", "true");
  await expect(verdict).toHaveAttribute("data-signature-status", "valid");
  await expect(verdict).toContainText("Valid signature");
});
