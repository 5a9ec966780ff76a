// /s/<token>: a read-only share link. server.ts has already answered links that open nothing
// (404/410 with the reason); this renders the viewer for a working one.
import type { Metadata } from "next";
import { SharedView } from "@/components/share/shared-view";

export const metadata: Metadata = { robots: { index: false, follow: false } };

export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <SharedView token={token} />;
}
