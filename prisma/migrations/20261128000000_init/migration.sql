-- CreateTable
CREATE TABLE "endpoints" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "capture_seq" BIGINT NOT NULL DEFAULT 0,
    "capture_count" INTEGER NOT NULL DEFAULT 0,
    "last_capture_at" TIMESTAMPTZ(6),
    "response_status" INTEGER NOT NULL DEFAULT 200,
    "response_headers" JSONB NOT NULL DEFAULT '[]',
    "response_body" TEXT,
    "response_content_type" TEXT,
    "response_delay_ms" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "captures" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "query" TEXT,
    "headers" JSONB NOT NULL,
    "body" BYTEA NOT NULL,
    "body_size" INTEGER NOT NULL,
    "declared_length" BIGINT,
    "content_type" TEXT,
    "remote_address" TEXT NOT NULL,
    "http_version" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(6) NOT NULL,
    "duration_us" INTEGER NOT NULL,
    "response_status" INTEGER NOT NULL,
    "oversize" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "captures_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "endpoints_slug_key" ON "endpoints"("slug");

-- CreateIndex: newest captures of an endpoint and cursor pagination (scanned backwards)
CREATE UNIQUE INDEX "captures_endpoint_id_seq_key" ON "captures"("endpoint_id", "seq");

-- AddForeignKey
ALTER TABLE "captures" ADD CONSTRAINT "captures_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
