// What the capture path answers a stored request with, as a pure function of the request (method,
// headers, and for provider handshakes its query and body), the endpoint's response settings and
// the capture id. The handler sends it; the
// capture detail rebuilds it from the stored request and the settings revision that answered
// (captures.response_rev), so "response we sent" is exact without storing it per capture.
import { CAPTURE_CSP } from "../http/csp";
import type { RuleRequest } from "./rules";
import { providerHandshake, type Handshake, type HandshakeRequest, type HandshakeToken } from "./handshakes";
import { answerHeaderRefusal, type TResponseSettings } from "../validation/endpoints";
import type { TAppliedFailure, TResponseRule } from "../validation/response-rules";

/** Response header naming the stored capture on every acknowledged (2xx or configured) answer. */
export const CAPTURE_ID_HEADER = "X-Hookscope-Capture-Id";

const NO_BODY_STATUS = new Set([204, 205, 304]);

/**
 * On every answer, after the configured headers: whatever an endpoint configured, a browser that
 * opens a capture URL runs no script in our origin, sniffs no type and frames nothing. Users cannot
 * configure these names (answerHeaderRefusal), so they are never doubled or overridden.
 */
export const INERT_ANSWER_HEADERS: readonly [string, string][] = [
  ["Content-Security-Policy", CAPTURE_CSP],
  ["X-Content-Type-Options", "nosniff"],
];

/**
 * The parts of a request the answer depends on. `header` reads one header (duplicates joined with
 * ", "), lower-case name; `query` (raw, without "?") and `body` are read only for handshakes.
 */
export type AnswerRequest = HandshakeRequest;

export interface ConfiguredAnswer {
  status: number;
  /** In the order written; node adds Date, Connection and Keep-Alive after these. */
  headers: [string, string][];
  /** The body bytes sent; null when none was (HEAD, 204, 205, 304, a CORS preflight). */
  body: Buffer | null;
  /** Milliseconds the answer waited after the capture was stored. */
  delayMs: number;
  /** The provider handshake answered instead of the configured answer (lib/shared/capture/handshakes.ts), or null. */
  handshake: string | null;
  /** The response rule that answered (lib/shared/capture/rules.ts), or null for the endpoint's own answer. */
  rule: TResponseRule | null;
  /** What the rule's failure on purpose did; null when nothing. */
  failure: TAppliedFailure | null;
  /** Close the connection without an answer (failure mode "close"): status, headers and body are what was not sent. */
  close: boolean;
}

/** A matched rule and what its failure on purpose decided for this request (the handler decides; the detail reads it back). */
export interface AppliedRule {
  rule: TResponseRule;
  failure: TAppliedFailure | null;
}

/** An error answered on purpose, or a closed connection: the rule's own answer (and its templates) does not go out. */
export function ruleAnswerFailed({ failure: f }: AppliedRule): boolean {
  return f?.mode === "close" || ((f?.mode === "percentage" || f?.mode === "firstN") && f.failed);
}

/** The body of an error answered on purpose (percentage, first N). */
function failureBody(rule: TResponseRule, captureId: string): string {
  return JSON.stringify({
    ok: false,
    id: captureId,
    error: `Failed on purpose by response rule ${rule.name ? `"${rule.name}"` : rule.id}`,
  });
}

/** A CORS preflight: always answered 204 (no custom response, no delay) so browser tests work. */
export function isPreflight(req: AnswerRequest): boolean {
  return req.method === "OPTIONS" && req.header("origin") !== undefined && req.header("access-control-request-method") !== undefined;
}

/** CORS so that test requests sent from a browser page reach us and can read the answer. */
function corsHeaders(req: AnswerRequest): [string, string][] {
  const out: [string, string][] = [
    ["Access-Control-Allow-Origin", "*"],
    ["Access-Control-Expose-Headers", "*"],
  ];
  const method = req.method === "OPTIONS" ? req.header("access-control-request-method") : undefined;
  if (method) {
    out.push(["Access-Control-Allow-Methods", method]);
    const reqHeaders = req.header("access-control-request-headers");
    if (reqHeaders) out.push(["Access-Control-Allow-Headers", reqHeaders]);
    out.push(["Access-Control-Max-Age", "600"]);
  }
  return out;
}

/** The endpoint's configured answer to a request stored as `captureId`. */
export function configuredAnswer(
  req: AnswerRequest,
  r: TResponseSettings,
  captureId: string,
  applied: AppliedRule | null = null,
  /** The HMAC for a Zoom or X handshake (lib/shared/capture/handshakes.ts); without it they are not answered. */
  token?: HandshakeToken,
): ConfiguredAnswer {
  const preflight = isPreflight(req);
  // A rule the user wrote wins over a built-in handshake; a CORS preflight stays a preflight.
  if (applied && !preflight) return ruleAnswer(req, r, captureId, applied);
  const handshake = !preflight && r.handshakes ? providerHandshake(req, token) : null;
  if (handshake) return handshakeAnswer(req, handshake, captureId);
  const status = preflight ? 204 : r.status;
  // The capture id always goes out in CAPTURE_ID_HEADER, whatever body the endpoint is set to
  // answer with, so a sender (or a test) can tell exactly which of its requests were stored.
  // Headers the settings API refuses are dropped here too: rows stored before the rule still hold them.
  const custom = (preflight ? [] : r.headers).filter(
    ([n, v]) => n.toLowerCase() !== CAPTURE_ID_HEADER.toLowerCase() && answerHeaderRefusal(n, v) === null,
  );
  const customNames = new Set(custom.map(([n]) => n.toLowerCase()));
  const headers: [string, string][] = corsHeaders(req).filter(([n]) => !customNames.has(n.toLowerCase()));
  headers.push([CAPTURE_ID_HEADER, captureId]);
  let body: Buffer | null = null;
  if (!preflight && !NO_BODY_STATUS.has(status)) {
    body = Buffer.from(r.body ?? JSON.stringify({ ok: true, id: captureId }), "utf8");
    if (!customNames.has("content-type")) {
      headers.push(["Content-Type", r.contentType ?? (r.body === null ? "application/json; charset=utf-8" : "text/plain; charset=utf-8")]);
    }
    headers.push(["Content-Length", String(body.length)]);
  }
  headers.push(...custom, ...INERT_ANSWER_HEADERS);
  return {
    status,
    headers,
    body: req.method === "HEAD" ? null : body,
    delayMs: preflight ? 0 : r.delayMs,
    handshake: null,
    rule: null,
    failure: null,
    close: false,
  };
}

/** A rule's answer, through the same builder (headers refused, CORS, inert headers) as the endpoint's own, with its failure applied. */
function ruleAnswer(req: AnswerRequest, r: TResponseSettings, captureId: string, { rule, failure }: AppliedRule): ConfiguredAnswer {
  const failed = (failure?.mode === "percentage" || failure?.mode === "firstN") && failure.failed;
  const settings: TResponseSettings = failed
    ? {
        ...r,
        ...rule.answer,
        status: rule.failure && "status" in rule.failure ? rule.failure.status : 500,
        headers: [],
        body: failureBody(rule, captureId),
        contentType: "application/json; charset=utf-8",
        delayMs: 0,
        handshakes: false,
      }
    : { ...r, ...rule.answer, delayMs: failure?.mode === "slow" ? failure.delayMs : rule.answer.delayMs, handshakes: false };
  const answer = configuredAnswer(req, settings, captureId);
  return { ...answer, rule, failure, close: failure?.mode === "close" };
}

/** A handshake's answer: exactly what the provider expects, with our id, CORS and inert headers, at once. */
function handshakeAnswer(req: AnswerRequest, h: Handshake, captureId: string): ConfiguredAnswer {
  const headers: [string, string][] = [...corsHeaders(req), [CAPTURE_ID_HEADER, captureId], ...h.headers];
  const body = h.body === null ? Buffer.alloc(0) : Buffer.from(h.body, "utf8");
  if (h.contentType !== null) headers.push(["Content-Type", h.contentType]);
  headers.push(["Content-Length", String(body.length)], ...INERT_ANSWER_HEADERS);
  return {
    status: h.status,
    headers,
    body: h.body === null ? null : body,
    delayMs: 0,
    handshake: h.name,
    rule: null,
    failure: null,
    close: false,
  };
}

/** What response rules read of a request (live at capture, or stored): its header list as it arrived (name, value pairs). */
export function storedRequest(
  method: string,
  headers: readonly (readonly [string, string])[],
  query: string | null = null,
  body: Uint8Array | null = null,
  path = "",
): RuleRequest {
  // Grouped by lower-case name once, on the first read (repeats joined with ", "), in a Map: the
  // names are captured data, and every capture's answer reads a few of them.
  let grouped: Map<string, string> | undefined;
  const byName = () => {
    if (grouped) return grouped;
    grouped = new Map();
    for (const [n, v] of headers) {
      const name = n.toLowerCase();
      const prev = grouped.get(name);
      grouped.set(name, prev === undefined ? v : `${prev}, ${v}`);
    }
    return grouped;
  };
  return {
    method,
    path,
    query,
    body,
    header: (name) => byName().get(name),
    headers() {
      const out: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const [name, v] of byName()) out[name] = v;
      return out;
    },
  };
}
