// The dashboard lives in this layout so it stays mounted (live stream, scroll position, cache)
// while the selected capture changes the URL between /endpoints/<id> and
// /endpoints/<id>/captures/<captureId>; both pages render nothing of their own.
import type { ReactNode } from "react";
import { EndpointDashboard } from "@/components/endpoint/endpoint-dashboard";

export default async function EndpointLayout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  const { id } = await params;
  return (
    <>
      <EndpointDashboard endpointId={id.toLowerCase()} />
      {children}
    </>
  );
}
