import assert from "node:assert/strict";
import { test } from "node:test";
import { DRIFT_NOTIFY_SEQS, driftNotifyPayloads } from "./event-schemas";

test("drift notifications: the drifted seqs in chunks, each under NOTIFY's 8000-byte payload limit, none lost", () => {
  const endpointId = "0193a5b2-7c1d-7e0f-8a9b-0c1d2e3f4a5b";
  // The largest seqs the live stream accepts (15 digits), more than two chunks of them.
  const seqs = Array.from({ length: DRIFT_NOTIFY_SEQS * 2 + 7 }, (_, i) => String(999_999_999_999_000 + i));
  const payloads = driftNotifyPayloads(endpointId, seqs);
  assert.equal(payloads.length, 3);
  for (const p of payloads) assert.ok(Buffer.byteLength(p) < 8000, String(Buffer.byteLength(p)));
  const parsed = payloads.map((p) => JSON.parse(p) as { d: string; s: number[] });
  assert.ok(parsed.every((p) => p.d === endpointId));
  assert.deepEqual(
    parsed.flatMap((p) => p.s),
    seqs.map(Number),
  );
  assert.deepEqual(driftNotifyPayloads(endpointId, []), []);
});
