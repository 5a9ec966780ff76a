// Twilio sample events: Twilio posts a form. Signature headers are added when signing.
import { nodeCrypto } from "../crypto";
import type { SampleBuilder } from "../types";
import { hex } from "./random";

export const twilioSamples: Record<string, SampleBuilder> = {
  "message.received": () => {
    const sid = `SM${hex(32)}`;
    const params = new URLSearchParams([
      ["ToCountry", "US"],
      ["ToState", "CA"],
      ["SmsMessageSid", sid],
      ["NumMedia", "0"],
      ["ToCity", "SAN FRANCISCO"],
      ["FromZip", "94105"],
      ["SmsSid", sid],
      ["FromState", "CA"],
      ["SmsStatus", "received"],
      ["FromCity", "SAN FRANCISCO"],
      ["Body", "Hello from Hookscope"],
      ["FromCountry", "US"],
      ["To", "+15005550006"],
      ["ToZip", "94105"],
      ["NumSegments", "1"],
      ["MessageSid", sid],
      ["AccountSid", `AC${hex(32)}`],
      ["From", "+14155550100"],
      ["ApiVersion", "2010-04-01"],
    ]);
    return {
      contentType: "application/x-www-form-urlencoded",
      headers: [
        ["User-Agent", "TwilioProxy/1.1"],
        ["I-Twilio-Idempotency-Token", nodeCrypto().randomUUID()],
        ["X-Home-Region", "us1"],
      ],
      body: params.toString(),
    };
  },
};
