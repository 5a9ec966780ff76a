-- Inferred schemas per event type (lib/shared/schema/infer.ts). A background worker
-- (lib/server/schema/worker.ts), never the capture write, merges each endpoint's captures with
-- seq above event_schema_cursors.merged_seq into event_schemas.state, in batches, and marks a
-- capture that differs from the schema before it (captures.drift). After a restart it goes on
-- from merged_seq: no capture is read twice.

-- CreateTable
CREATE TABLE "event_schemas" (
    "endpoint_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "samples" INTEGER NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_schemas_pkey" PRIMARY KEY ("endpoint_id","event_type")
);

-- CreateTable
CREATE TABLE "event_schema_cursors" (
    "endpoint_id" UUID NOT NULL,
    "merged_seq" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_schema_cursors_pkey" PRIMARY KEY ("endpoint_id")
);

-- AlterTable
ALTER TABLE "captures" ADD COLUMN "drift" JSONB;

-- AddForeignKey
ALTER TABLE "event_schemas" ADD CONSTRAINT "event_schemas_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_schema_cursors" ADD CONSTRAINT "event_schema_cursors_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
