-- Response rules (lib/shared/validation/response-rules.ts): an ordered list per endpoint, part of
-- the response settings, so every revision keeps the rules it had and a capture's response_rev
-- plus response_rule names exactly the rule that answered it.
ALTER TABLE "endpoints" ADD COLUMN "response_rules" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "endpoint_responses" ADD COLUMN "rules" JSONB NOT NULL DEFAULT '[]';

-- Which rule answered a capture (its id within the revision) and what its failure on purpose did.
ALTER TABLE "captures" ADD COLUMN "response_rule" TEXT;
ALTER TABLE "captures" ADD COLUMN "response_failure" JSONB;

-- First-N failure counts deliveries per endpoint, rule and event key: one atomic upsert per
-- delivery, shared by every replica.
CREATE TABLE "rule_deliveries" (
    "endpoint_id" UUID NOT NULL,
    "rule_id" TEXT NOT NULL,
    "event_key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "first_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rule_deliveries_pkey" PRIMARY KEY ("endpoint_id","rule_id","event_key")
);

ALTER TABLE "rule_deliveries" ADD CONSTRAINT "rule_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
