-- Retries recognised: each capture's event key (what stays the same when a provider delivers one
-- event again: Stripe's evt_… id, X-GitHub-Delivery, webhook-id, …), computed when captures are
-- written by lib/shared/events/event-key.ts under the endpoint's setting (auto, a header, a JSON
-- path, or off). Captures stored before this migration keep no key. The delivery number and the
-- first delivery's time are read through the index (endpoint, key, seq); rows without a key are
-- left out of it, so captures of providers without one cost the index nothing.

-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN "event_key_source" TEXT NOT NULL DEFAULT 'auto', ADD COLUMN "event_key_name" TEXT;

-- AlterTable
ALTER TABLE "captures" ADD COLUMN "event_key" TEXT;

-- CreateIndex
CREATE INDEX "captures_endpoint_id_event_key_seq_idx" ON "captures" ("endpoint_id", "event_key", "seq") WHERE "event_key" IS NOT NULL;
