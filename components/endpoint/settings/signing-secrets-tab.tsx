"use client";
// Settings tab: the signing secrets every capture of this endpoint is checked against.
import { SigningSecretsPanel } from "@/components/signature";
import type { SettingsTabProps } from "./settings-tab";

export function SigningSecretsTab({ endpoint }: SettingsTabProps) {
  return <SigningSecretsPanel endpointId={endpoint.id} />;
}
