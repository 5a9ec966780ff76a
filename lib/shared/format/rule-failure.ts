// Sentences for what failure on purpose did to a capture ("Response we sent") and what a rule's
// failure mode does (the rule editor, "try against capture").
import type { TAppliedFailure, TRuleFailure } from "../validation/response-rules";

/** "the first delivery" / "the first 3 deliveries". */
const firstN = (n: number) => (n === 1 ? "the first delivery" : `the first ${n} deliveries`);

/** What failure on purpose did to one capture, as a sentence. */
export function describeAppliedFailure(f: TAppliedFailure): string {
  switch (f.mode) {
    case "percentage":
      return f.failed
        ? `Failed on purpose (${f.percent} % of requests fail).`
        : `Not failed: ${f.percent} % of requests fail, this one passed.`;
    case "firstN":
      if (f.key === null)
        return `This request had no event key, so it was answered normally (the rule fails ${firstN(f.count)} of each event).`;
      return f.failed
        ? `Delivery ${f.delivery} of event ${f.key}: failed on purpose (the rule fails ${firstN(f.count)} of each event).`
        : `Delivery ${f.delivery} of event ${f.key}: answered (the rule fails only ${firstN(f.count)} of each event).`;
    case "slow":
      return `Held ${f.delayMs} ms on purpose, past most providers' timeouts.`;
    case "close":
      return "Connection closed on purpose without an answer, after the request was stored. The answer below was not sent.";
  }
}

/** What a rule's failure mode does, as a sentence. */
export function describeRuleFailure(f: TRuleFailure): string {
  switch (f.mode) {
    case "percentage":
      return `Answers ${f.status} to ${f.percent} % of requests.`;
    case "firstN":
      return `Answers ${f.status} to ${firstN(f.count)} of each event (told apart by ${f.key.from === "header" ? `header ${f.key.name}` : `JSON path ${f.key.path}`}).`;
    case "slow":
      return `Answers after ${f.delayMs} ms.`;
    case "close":
      return "Closes the connection without an answer.";
  }
}
