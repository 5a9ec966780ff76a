// Share-link access: a token from the URL (/s/<token>, /api/s/<token>/…) opens one capture or one
// endpoint, read-only. An unknown token gets 404; a revoked or expired one 410 with words. Only
// GETs are served; every other method is refused (refuseWrite) after the token check, so a
// made-up token learns nothing either way. The management-key routes never accept a share
// token: lib/server/http/auth compares what is presented with endpoints.key_hash only.
import "server-only";
import { getCaptureById } from "@/lib/server/db/captures";
import { getEndpointById, type EndpointRecord } from "@/lib/server/db/endpoints";
import { getShareLinkByToken, touchShareLink, type ShareLinkRecord } from "@/lib/server/db/share-links";
import { listSigningSecrets } from "@/lib/server/db/signing-secrets";
import { hideSecretValues, redactHeaders } from "@/lib/shared/format/redact-headers";
import { shareState, type TSharedCapture } from "@/lib/shared/validation/shares";
import { AppError } from "@/lib/shared/errors/app-error";
import { handle } from "./respond";

export interface ShareAccess {
  link: ShareLinkRecord;
  endpoint: EndpointRecord;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a token does not open anything, in words for a person; null when it works. */
export type TShareProblem = { status: 404 | 410; title: string; message: string };

function dateWords(d: Date): string {
  return d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

export function shareProblem(link: ShareLinkRecord | null, now = Date.now()): TShareProblem | null {
  if (!link) {
    return {
      status: 404,
      title: "This share link does not exist",
      message: "Check that the whole link was copied. It may also belong to an endpoint that was deleted.",
    };
  }
  const state = shareState(link, now);
  if (state === "revoked") {
    return {
      status: 410,
      title: "This share link was revoked",
      message: `Its owner turned it off on ${dateWords(link.revokedAt!)}. Ask them for a new link.`,
    };
  }
  if (state === "expired") {
    return {
      status: 410,
      title: "This share link has expired",
      message: `It stopped working on ${dateWords(link.expiresAt!)}. Ask its owner for a new link.`,
    };
  }
  return null;
}

/** The link and its endpoint when the token works now; records the use. Throws 404 / 410 otherwise. */
export async function requireShareAccess(token: string): Promise<ShareAccess> {
  const link = await getShareLinkByToken(token);
  const problem = shareProblem(link);
  if (problem) throw new AppError(problem.status === 404 ? "NOT_FOUND" : "GONE", `${problem.title}. ${problem.message}`);
  const endpoint = await getEndpointById(link!.endpointId);
  if (!endpoint) throw new AppError("NOT_FOUND", "This share link does not exist.");
  await touchShareLink(link!);
  return { link: link!, endpoint };
}

/** 405 for any write through a share route, once the token has been checked. */
export async function refuseWrite(token: string): Promise<never> {
  await requireShareAccess(token);
  throw new AppError(
    "METHOD_NOT_ALLOWED",
    "Share links are read-only: nothing can be deleted, changed or sent with one. Use the endpoint's dashboard (management key) for that.",
  );
}

/** The capture ids a link may open: its one capture, or any capture of its endpoint. */
export function shareCoversCapture(access: ShareAccess, capture: { id: string; endpointId: string }): boolean {
  if (access.link.captureId) return capture.id === access.link.captureId;
  return capture.endpointId === access.endpoint.id;
}

/** Header names the endpoint's own signing rules read (generic HMAC), lower-cased: hidden like the known ones. */
async function endpointSignatureHeaders(endpointId: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const s of await listSigningSecrets(endpointId)) {
    const rule = s.options.generic;
    if (rule) out.add(rule.header.toLowerCase());
  }
  return out;
}

/** One capture through a link: 404 unless the link covers it; secret header values redacted unless the link includes them. */
export async function getSharedCapture(access: ShareAccess, captureId: string): Promise<TSharedCapture> {
  const NOT_SHARED = () => new AppError("NOT_FOUND", "This capture is not part of the share (or was deleted).");
  if (!UUID.test(captureId)) throw NOT_SHARED();
  const extra = access.link.includeSecrets ? null : await endpointSignatureHeaders(access.endpoint.id);
  // Hidden values are hidden in the answer too: it is rebuilt by rendering the rule's templates
  // over the request, and one that echoes Authorization would otherwise show it.
  const capture = await getCaptureById(captureId, extra ? { answerHeaders: (headers) => hideSecretValues(headers, extra) } : {});
  if (!capture || !shareCoversCapture(access, capture)) throw NOT_SHARED();
  // The body's URL under the token (the dashboard's own body route would need the management key),
  // as a reference relative to this answer's URL: the answer never carries the token itself.
  const bodyUrl = `${capture.id}/body`;
  if (!extra) return { ...capture, bodyUrl };
  // The answer's headers are the endpoint's own settings (a Set-Cookie, say): hidden the same way.
  const response = capture.response && { ...capture.response, headers: redactHeaders(capture.response.headers, extra) };
  const trailers = capture.trailers && redactHeaders(capture.trailers, extra);
  return { ...capture, bodyUrl, headers: redactHeaders(capture.headers, extra), trailers, response };
}

interface TokenCtx {
  params: Promise<{ token: string }>;
}

/**
 * The handler every share route exports for POST, PUT, PATCH and DELETE: the token is checked
 * (404 / 410 as for reads), then the write is refused with 405.
 */
export function readOnlyShareHandler(): (req: Request, ctx: TokenCtx) => Promise<Response> {
  return handle(async (_req: Request, { params }: TokenCtx) => refuseWrite((await params).token));
}

/** Whether a token still opens its link (for open streams re-checking); false when revoked, expired or gone. */
export async function shareStillValid(token: string): Promise<boolean> {
  return shareProblem(await getShareLinkByToken(token)) === null;
}
