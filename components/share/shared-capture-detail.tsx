"use client";
// One capture seen through a share link, in the dashboard's viewer with readOnly: no delete,
// resend or edit. Header values the link hides arrive from the server as { redacted, length }.
// The capture URL is not part of a share (it would let the viewer send into the endpoint), so
// the request URL and "copy as" commands show a placeholder for it.
import { CaptureDetailView } from "@/components/capture";
import { describeError } from "@/lib/browser/query/api";
import { sharePath, useSharedCapture } from "@/lib/browser/query/share-links";

export const SHARED_CAPTURE_URL_PLACEHOLDER = "https://capture-url.invalid";

export function SharedCaptureDetail({ token, captureId }: { token: string; captureId: string }) {
  const q = useSharedCapture(token, captureId);
  if (q.isPending) return <p className="p-6 text-sm text-zinc-500">Loading capture…</p>;
  if (q.isError) {
    return (
      <p role="alert" className="p-6 text-sm text-red-600 dark:text-red-400">
        {describeError(q.error, "capture")}
      </p>
    );
  }
  const c = q.data;
  // The API gives the body's URL relative to the capture's; the token's body route, absolute here.
  const capture = { ...c, bodyUrl: sharePath(token, `/captures/${encodeURIComponent(c.id)}/body`) };
  return <CaptureDetailView capture={capture} captureUrl={SHARED_CAPTURE_URL_PLACEHOLDER} bodyFileName={`capture-${c.seq}.bin`} readOnly />;
}
