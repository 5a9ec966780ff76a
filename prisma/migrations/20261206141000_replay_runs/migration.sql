-- Replay runs (lib/server/replay): a chosen set of an endpoint's captures sent to one target, each
-- answer checked (lib/shared/replay/checks.ts). The set is frozen when the run starts: one
-- replay_sends row per capture, in the order received, so two runs of the same set compare send
-- by send. capture_id has no foreign key: a send outlives its capture (retention), the run goes
-- with its endpoint.
CREATE TABLE "replay_runs" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "state" TEXT NOT NULL,
    "selection" JSONB NOT NULL,
    "target_url" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "checks" JSONB NOT NULL,
    "total" INTEGER NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "retry_of" UUID,
    "runner" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    "heartbeat_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "replay_runs_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "replay_runs_endpoint_id_created_at_idx" ON "replay_runs"("endpoint_id", "created_at");

ALTER TABLE "replay_runs" ADD CONSTRAINT "replay_runs_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "replay_sends" (
    "run_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "capture_id" UUID NOT NULL,
    "capture_seq" BIGINT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "method" TEXT,
    "url" TEXT,
    "request_headers" JSONB,
    "request_body_size" INTEGER,
    "response_status" INTEGER,
    "response_headers" JSONB,
    "response_body" BYTEA,
    "response_body_size" INTEGER,
    "response_truncated" BOOLEAN NOT NULL DEFAULT false,
    "error_code" TEXT,
    "error_message" TEXT,
    "failures" JSONB NOT NULL DEFAULT '[]',
    "duration_ms" DOUBLE PRECISION,
    "first_byte_ms" DOUBLE PRECISION,
    "sent_at" TIMESTAMPTZ(6),

    CONSTRAINT "replay_sends_pkey" PRIMARY KEY ("run_id","position")
);

-- Failures first, then the rest, each in position order; and the runner's next pending page.
CREATE INDEX "replay_sends_run_id_state_position_idx" ON "replay_sends"("run_id", "state", "position");
-- Compare: the send of a capture in each run.
CREATE INDEX "replay_sends_run_id_capture_id_idx" ON "replay_sends"("run_id", "capture_id");

ALTER TABLE "replay_sends" ADD CONSTRAINT "replay_sends_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "replay_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
