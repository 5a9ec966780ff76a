-- Response revisions: every version of an endpoint's custom response, so each capture can show
-- exactly what Hookscope answered it (status, headers, body, delay) even after the settings change.
-- endpoints.response_rev is the revision in force; captures.response_rev the one that answered
-- (null for captures from before this migration, and for refused ones such as 413).

-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN "response_rev" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "captures" ADD COLUMN "response_rev" INTEGER;

-- CreateTable
CREATE TABLE "endpoint_responses" (
    "endpoint_id" UUID NOT NULL,
    "rev" INTEGER NOT NULL,
    "status" INTEGER NOT NULL,
    "headers" JSONB NOT NULL,
    "body" TEXT,
    "content_type" TEXT,
    "delay_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "endpoint_responses_pkey" PRIMARY KEY ("endpoint_id","rev")
);

-- AddForeignKey
ALTER TABLE "endpoint_responses" ADD CONSTRAINT "endpoint_responses_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Revision 0 of every existing endpoint is its current response.
INSERT INTO "endpoint_responses" ("endpoint_id", "rev", "status", "headers", "body", "content_type", "delay_ms", "created_at")
SELECT "id", 0, "response_status", "response_headers", "response_body", "response_content_type", "response_delay_ms", "updated_at"
  FROM "endpoints";
