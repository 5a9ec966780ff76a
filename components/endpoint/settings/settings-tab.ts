// What every tab of the endpoint settings dialog receives. A tab owns its own form and save
// button; `onDone` closes the dialog (after a save that finishes the job, or on Cancel).
import type { TEndpoint } from "@/lib/shared/validation/endpoints";

export interface SettingsTabProps {
  endpoint: TEndpoint;
  onDone: () => void;
}
