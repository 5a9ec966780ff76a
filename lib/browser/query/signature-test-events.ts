"use client";
// Sending a signed test event; the result (status, headers, body, timing) is the mutation's data.
// A test event sent to the endpoint itself arrives in the list through the live stream.
import { useMutation } from "@tanstack/react-query";
import { ZSendTestEventResponse, type TSendTestEventRequest } from "@/lib/shared/validation/signatures";
import { endpointPath, signatureApi } from "./signature-api";

export function useSendTestEvent(endpointId: string) {
  return useMutation({
    mutationFn: (input: TSendTestEventRequest) =>
      signatureApi(endpointPath(endpointId, "/test-events"), ZSendTestEventResponse, { method: "POST", json: input }),
  });
}
