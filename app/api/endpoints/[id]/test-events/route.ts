// POST /api/endpoints/:id/test-events - send a signed sample event (Stripe, GitHub, Shopify, Slack,
// Standard Webhooks, Twilio) to this endpoint ("self") or a URL; returns the response and timing
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, parseJson } from "@/lib/server/http/respond";
import { sendTestEvent } from "@/lib/server/signatures/test-events";
import { ZSendTestEventRequest, ZSendTestEventResponse } from "@/lib/shared/validation/signatures";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

// Sends a request per call; never prerendered or cached.
export const dynamic = "force-dynamic";

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const input = await parseJson(req, ZSendTestEventRequest);
  return json(ZSendTestEventResponse.parse(await sendTestEvent(endpoint, input)));
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["POST"]);
