"use client";
// "Share read-only link" from the dashboard: a link to the selected capture or the whole endpoint
// that opens without the management key and cannot change anything. (The dashboard link, which
// carries the key and gives full access, is a separate dialog.)
import { ModalDialog } from "@/components/ui/modal-dialog";
import { ShareLinkForm } from "./share-link-form";

export function ShareLinkDialog({
  open,
  onClose,
  endpointId,
  capture,
}: {
  open: boolean;
  onClose: () => void;
  endpointId: string;
  capture: { id: string; seq: number | null } | null;
}) {
  return (
    <ModalDialog open={open} onClose={onClose} title="Share a read-only link" testId="share-link-dialog">
      {/* Mounted per opening: each starts from a fresh form. */}
      {open && <ShareLinkForm endpointId={endpointId} capture={capture} onDone={onClose} />}
    </ModalDialog>
  );
}
