"use client";
// PLACEHOLDER until the detail helper's components/capture/capture-detail.tsx and
// components/capture/method-badge.tsx land; the dashboard imports these two names from here and
// switches to the real ones then. Text only: captured data is never rendered as HTML.
import type { TEndpoint } from "@/lib/validation/endpoints";

export function MethodBadge({ method }: { method: string }) {
  return (
    <span className="inline-block min-w-12 shrink-0 rounded bg-zinc-200 px-1.5 py-0.5 text-center font-mono text-[11px] font-semibold dark:bg-zinc-800">
      {method}
    </span>
  );
}

export function CaptureDetail({ captureId }: { captureId: string; endpoint: TEndpoint; onDelete?: () => void; readOnly?: boolean }) {
  return (
    <div data-testid="capture-detail-placeholder" className="p-6 text-sm text-zinc-500">
      Capture {captureId} (detail view not built yet)
    </div>
  );
}
