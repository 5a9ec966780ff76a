-- Forwarding: rules per endpoint, an outbox filled in the capture write's own statement, and one
-- delivery row per outgoing send (manual resend, forward attempt, CLI forward).

-- CreateTable
CREATE TABLE "forward_rules" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "target_url" TEXT NOT NULL,
    "method" TEXT,
    "path_prefix" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "max_attempts" INTEGER,
    "follow_redirects" BOOLEAN NOT NULL DEFAULT false,
    "resign_scheme" TEXT,
    "resign_options" JSONB,
    "resign_secret_enc" TEXT,
    "resign_hint" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "forward_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "forward_outbox" (
    "id" BIGSERIAL NOT NULL,
    "capture_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(6),
    "leased_by" TEXT,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "forward_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" UUID NOT NULL,
    "capture_id" UUID NOT NULL,
    "rule_id" UUID,
    "kind" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "final" BOOLEAN NOT NULL DEFAULT true,
    "outcome" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "request_headers" JSONB NOT NULL,
    "request_body" BYTEA,
    "request_body_size" INTEGER NOT NULL,
    "resigned_scheme" TEXT,
    "response_status" INTEGER,
    "response_status_text" TEXT,
    "response_headers" JSONB,
    "response_body" BYTEA,
    "response_body_size" INTEGER,
    "response_truncated" BOOLEAN NOT NULL DEFAULT false,
    "redirects" JSONB NOT NULL DEFAULT '[]',
    "remote_address" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "duration_ms" DOUBLE PRECISION NOT NULL,
    "first_byte_ms" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex: the capture write looks up an endpoint's enabled rules in the same statement
CREATE INDEX "forward_rules_endpoint_id_idx" ON "forward_rules"("endpoint_id");

-- CreateIndex: one outbox entry per capture and rule (a capture is queued once per rule)
CREATE UNIQUE INDEX "forward_outbox_capture_id_rule_id_key" ON "forward_outbox"("capture_id", "rule_id");

-- CreateIndex: what the worker claims next (only pending rows are indexed)
CREATE INDEX "forward_outbox_pending_idx" ON "forward_outbox"("next_attempt_at") WHERE "state" = 'pending';

-- CreateIndex: rule deletion cascades
CREATE INDEX "forward_outbox_rule_id_idx" ON "forward_outbox"("rule_id");

-- CreateIndex: a capture's deliveries, newest first
CREATE INDEX "deliveries_capture_id_created_at_idx" ON "deliveries"("capture_id", "created_at");

-- CreateIndex: rule deletion sets null
CREATE INDEX "deliveries_rule_id_idx" ON "deliveries"("rule_id");

-- AddForeignKey
ALTER TABLE "forward_rules" ADD CONSTRAINT "forward_rules_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "forward_outbox" ADD CONSTRAINT "forward_outbox_capture_id_fkey" FOREIGN KEY ("capture_id") REFERENCES "captures"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "forward_outbox" ADD CONSTRAINT "forward_outbox_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "forward_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_capture_id_fkey" FOREIGN KEY ("capture_id") REFERENCES "captures"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "forward_rules"("id") ON DELETE SET NULL ON UPDATE CASCADE;
