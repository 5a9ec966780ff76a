// "Compare with previous": the newest capture of the same endpoint on exactly the same path with a
// lower sequence number (GET /api/endpoints/:id/captures?exactPath=&cursor=<seq>&limit=1).
import { ZCapturePage, type TCaptureSummary } from "@/lib/shared/validation/captures";
import { apiJson } from "./api";

export function previousOnPathUrl(endpointId: string, path: string, seq: number): string {
  const q = new URLSearchParams({ exactPath: path, cursor: String(seq), limit: "1" });
  return `/api/endpoints/${encodeURIComponent(endpointId)}/captures?${q}`;
}

/** The previous capture on the same path, or null when this is the first one there. */
export async function fetchPreviousOnPath(
  endpointId: string,
  capture: Pick<TCaptureSummary, "path" | "seq">,
): Promise<TCaptureSummary | null> {
  const page = await apiJson(previousOnPathUrl(endpointId, capture.path, capture.seq), ZCapturePage);
  return page.items[0] ?? null;
}
