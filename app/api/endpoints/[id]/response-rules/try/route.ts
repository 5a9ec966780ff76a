// POST   /api/endpoints/:id/response-rules/try - which rule capture #seq matches and the answer it would get
import { toEndpointDto } from "@/lib/server/db/endpoints";
import { getCaptureRequestBySeq, rulesOf } from "@/lib/server/db/response-rules";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, parseJson } from "@/lib/server/http/respond";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { configuredAnswer, isPreflight, storedRequest } from "@/lib/shared/capture/answer";
import { compileRules, matchRule, renderRule } from "@/lib/shared/capture/rules";
import { REPLAY_RENDER_MS, templateVars } from "@/lib/shared/capture/templates";
import { AppError } from "@/lib/shared/errors/app-error";
import { ZTryResponseRulesRequest, ZTryResponseRulesResult } from "@/lib/shared/validation/response-rule-try";
import type { TResponseRule } from "@/lib/shared/validation/response-rules";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const input = await parseJson(req, ZTryResponseRulesRequest);
  const capture = await getCaptureRequestBySeq(endpoint.id, input.seq);
  if (!capture) throw new AppError("NOT_FOUND", `This endpoint has no capture #${input.seq}.`);
  // Unsaved rules have no id yet: they are told apart by their place in the list.
  const rules: TResponseRule[] = input.rules ? input.rules.map((r, i) => ({ ...r, id: r.id ?? `unsaved-${i}` })) : rulesOf(endpoint);
  const request = storedRequest(capture.method, capture.headers, capture.query, capture.body, capture.path);
  // The same matcher the capture path runs (lib/shared/capture/rules.ts); a preflight is never ruled.
  const matched = isPreflight(request) ? null : matchRule(compileRules(rules), request);
  // Its templates rendered as the capture path would have: this capture's id, seq and arrival time.
  const rendered = matched
    ? renderRule(matched, templateVars(request, capture.id, input.seq, capture.receivedAt.toISOString()), REPLAY_RENDER_MS)
    : null;
  const answer = configuredAnswer(
    request,
    toEndpointDto(endpoint).response,
    capture.id,
    matched && rendered?.ok ? { rule: rendered.rule, failure: null } : null,
  );
  return json(
    ZTryResponseRulesResult.parse({
      captureId: capture.id,
      seq: input.seq,
      rule: matched ? { id: matched.rule.id, name: matched.rule.name, index: matched.index } : null,
      failure: matched?.rule.failure ?? null,
      response: {
        status: answer.status,
        headers: answer.headers,
        body: answer.body?.toString("utf8") ?? null,
        delayMs: answer.delayMs,
        handshake: answer.handshake,
        rule: matched ? { id: matched.rule.id, name: matched.rule.name, index: matched.index } : null,
        failure: null,
        closed: false,
        error: rendered && !rendered.ok ? rendered.error : null,
      },
    }),
  );
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["POST"]);
