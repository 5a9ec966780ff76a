// Verdicts for stored captures. Never on the capture path: a verdict is computed the first time
// a capture is listed (rows up to INLINE_BODY_MAX bytes, INLINE_BUDGET in total per list read),
// fetched in a batch, or viewed, then stored with the endpoint's signing_rev; later reads take
// the stored one until a secret changes. Capture throughput is untouched, list reads stay cheap
// (one indexed lookup of stored verdicts; bodies only for rows not yet judged), and a verdict is
// always computed from the exact stored bytes.
import "server-only";
import {
  findCaptureSizes,
  findCapturesForVerification,
  findStoredSignatureSummaries,
  getCaptureForVerification,
  upsertCaptureSignatures,
  type CaptureForVerification,
} from "@/lib/server/db/capture-signatures";
import { loadVerificationSecrets, type VerificationSecrets } from "@/lib/server/db/signing-secrets";
import { captureBaseUrl } from "@/lib/server/env";
import type { TCaptureSummary } from "@/lib/shared/validation/captures";
import type { TSignatureAttempt, TSignatureSummary, TSignatureVerdict } from "@/lib/shared/validation/signatures";
import { findHeader } from "@/lib/shared/signatures/headers";
import { verifyCaptureSignature, type VerifyRequest } from "@/lib/shared/signatures/verify";

/** Largest body judged while listing; bigger ones are judged when fetched or viewed. */
export const INLINE_BODY_MAX = 1024 * 1024;
/** Body bytes one list read may load for judging. */
export const INLINE_BUDGET = 8 * 1024 * 1024;
/** Body bytes one batch request may load. */
export const BATCH_BUDGET = 64 * 1024 * 1024;

/**
 * URLs the sender may have signed: the public capture URL, then what the Host header says; each
 * under the alias (when there is one: it is the URL we show) and the slug.
 */
export function captureUrls(c: Pick<CaptureForVerification, "slug" | "alias" | "path" | "query" | "headers">): string[] {
  const suffixes = [c.alias, c.slug].filter((n) => n !== null).map((n) => `/h/${n}${c.path}${c.query === null ? "" : `?${c.query}`}`);
  const urls = suffixes.map((suffix) => `${captureBaseUrl()}${suffix}`);
  const host = findHeader(c.headers, "host")?.value;
  if (host) {
    const proto = findHeader(c.headers, "x-forwarded-proto")?.value.split(",")[0]!.trim();
    const xfHost = findHeader(c.headers, "x-forwarded-host")?.value.split(",")[0]!.trim();
    for (const suffix of suffixes) {
      for (const h of [xfHost, host]) {
        if (!h) continue;
        for (const p of proto ? [proto] : ["https", "http"]) urls.push(`${p}://${h}${suffix}`);
      }
    }
  }
  return [...new Set(urls)];
}

function toRequest(c: CaptureForVerification): VerifyRequest {
  return {
    method: c.method,
    headers: c.headers,
    body: c.body ?? Buffer.alloc(0),
    urls: captureUrls(c),
    receivedAt: c.receivedAt,
    oversize: c.oversize,
  };
}

function undecryptableAttempts(state: VerificationSecrets): TSignatureAttempt[] {
  return state.undecryptable.map((u) => ({
    secretId: u.id,
    secretLabel: u.label,
    scheme: null,
    status: "invalid",
    header: null,
    expected: null,
    received: null,
    cause: null,
    reason: `The secret “${u.label}” cannot be decrypted, so it was not tried: ${u.error}`,
    skewSeconds: null,
    toleranceSeconds: null,
    signedAt: null,
    url: null,
  }));
}

function judge(c: CaptureForVerification, state: VerificationSecrets): TSignatureVerdict {
  const verdict = verifyCaptureSignature(toRequest(c), state.secrets);
  if (state.undecryptable.length === 0) return verdict;
  const extra = undecryptableAttempts(state);
  // With no usable secret, say why instead of "no secret configured".
  if (state.secrets.length === 0) return { ...extra[0]!, attempts: extra, computedAt: verdict.computedAt };
  return { ...verdict, attempts: [...verdict.attempts, ...extra] };
}

export function summaryOf(v: Pick<TSignatureVerdict, "status" | "scheme" | "secretLabel">): TSignatureSummary {
  return { status: v.status, scheme: v.scheme, secretLabel: v.secretLabel };
}

/** The full verdict on one capture, computed now from its stored bytes (and stored). Null: no capture. */
export async function getCaptureSignatureVerdict(captureId: string): Promise<TSignatureVerdict | null> {
  const c = await getCaptureForVerification(captureId);
  if (!c) return null;
  const state = await loadVerificationSecrets(c.endpointId);
  if (!state) return null;
  const verdict = judge(c, state);
  // Verdicts made while a secret cannot be decrypted are not kept: fixing the key must show.
  if (state.undecryptable.length === 0) await upsertCaptureSignatures([{ captureId: c.id, rev: state.rev, verdict }]);
  return verdict;
}

/**
 * Summaries for captures of one endpoint: stored ones when fresh, else computed now within the
 * body budget and stored. Ids left out are not this endpoint's, or too big for this read.
 */
export async function findSignatureSummaries(
  endpointId: string,
  ids: string[],
  budget: { perRow: number; total: number } = { perRow: INLINE_BODY_MAX, total: INLINE_BUDGET },
): Promise<Map<string, TSignatureSummary>> {
  if (ids.length === 0) return new Map();
  const state = await loadVerificationSecrets(endpointId);
  if (!state) return new Map();
  const out = await findStoredSignatureSummaries(endpointId, ids, state.rev);
  const missing = ids.filter((id) => !out.has(id));
  if (missing.length === 0) return out;

  // Without secrets a verdict needs only the headers (which scheme, if any, signed it).
  const needBodies = state.secrets.length > 0;
  let chosen = missing;
  if (needBodies) {
    const sizes = await findCaptureSizes(endpointId, missing);
    let spent = 0;
    chosen = missing.filter((id) => {
      const size = sizes.get(id);
      if (size === undefined || size > budget.perRow || spent + size > budget.total) return false;
      spent += size;
      return true;
    });
  }
  const rows = await findCapturesForVerification(endpointId, chosen, { withBodies: needBodies, maxBodyBytes: budget.perRow });
  const computed = rows
    .filter((c) => !needBodies || c.body !== null || c.oversize)
    .map((c) => ({ captureId: c.id, rev: state.rev, verdict: judge(c, state) }));
  if (state.undecryptable.length === 0) await upsertCaptureSignatures(computed);
  for (const c of computed) out.set(c.captureId, summaryOf(c.verdict));
  return out;
}

/** List items with their `signature` summary added where one is known or affordable. */
export async function attachSignatureSummaries(endpointId: string, items: TCaptureSummary[]): Promise<TCaptureSummary[]> {
  const summaries = await findSignatureSummaries(
    endpointId,
    items.map((i) => i.id),
  );
  return items.map((i) => {
    const s = summaries.get(i.id);
    return s ? { ...i, signature: s } : i;
  });
}
