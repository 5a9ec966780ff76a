// Signature UI, standalone: mount these where the dashboard needs them (see each component's props).
export { SignatureBadge, type SignatureBadgeProps } from "./signature-badge";
export { SignatureVerdictPanel, type SignatureVerdictPanelProps } from "./signature-verdict-panel";
export { SigningSecretsPanel, type SigningSecretsPanelProps } from "./signing-secrets-panel";
export { SendTestEventButton, SendTestEventDialog, type SendTestEventDialogProps } from "./send-test-event-dialog";
