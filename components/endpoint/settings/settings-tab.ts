// What every tab of the endpoint settings dialog receives. A tab owns its own form, saved through
// the one footer (components/ui/form-footer.tsx); saving keeps the dialog open and says "Saved"
// next to the button. A form of the endpoint's own settings saves with useSettingsForm
// (./use-settings-form.ts). `onDone` closes the dialog.
import type { TEndpoint } from "@/lib/shared/validation/endpoints";

export interface SettingsTabProps {
  endpoint: TEndpoint;
  onDone: () => void;
}
