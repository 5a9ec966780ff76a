// "Try against capture #N": which response rule a stored capture matches and the answer it would
// get, for the rules as saved or as being edited (POST /api/endpoints/:id/response-rules/try).
import { z } from "zod";
import { ZSentResponse } from "./captures";
import { ZPutResponseRulesRequest, ZRuleFailure } from "./response-rules";

export const ZTryResponseRulesRequest = z
  .object({
    seq: z.number({ error: "seq: give the capture's number (#N)" }).int().min(1, "seq: capture numbers start at 1"),
    /** The rules to try (e.g. unsaved edits); the saved rules when left out. */
    rules: ZPutResponseRulesRequest.shape.rules.optional(),
  })
  .strict();
export type TTryResponseRulesRequest = z.input<typeof ZTryResponseRulesRequest>;

export const ZTryResponseRulesResult = z.object({
  captureId: z.string(),
  seq: z.number().int(),
  /** The rule that would answer (an unsaved rule without an id is `unsaved-<index>`), or null: the endpoint's own answer (or a handshake). */
  rule: z.object({ id: z.string(), name: z.string(), index: z.number().int() }).nullable(),
  /** The rule's failure on purpose, which may change the answer below when it fires (percentage, first N, slow, close). */
  failure: ZRuleFailure.nullable(),
  /** The answer the rule (or the endpoint) renders for this capture, without failure on purpose. */
  response: ZSentResponse,
});
export type TTryResponseRulesResult = z.infer<typeof ZTryResponseRulesResult>;
