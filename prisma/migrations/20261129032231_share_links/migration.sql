-- Share links: read-only, revocable, optionally expiring access to one capture or a whole endpoint.
-- Only the sha256 of the token is stored; the token itself is shown once, at creation.

-- CreateTable
CREATE TABLE "share_links" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "capture_id" UUID,
    "token_hash" TEXT NOT NULL,
    "token_hint" TEXT NOT NULL,
    "include_secrets" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),
    "last_used_at" TIMESTAMPTZ(6),

    CONSTRAINT "share_links_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "share_links_token_hash_key" ON "share_links"("token_hash");

-- CreateIndex
CREATE INDEX "share_links_endpoint_id_idx" ON "share_links"("endpoint_id");

-- CreateIndex
CREATE INDEX "share_links_capture_id_idx" ON "share_links"("capture_id");

-- AddForeignKey
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey: a capture link dies with its capture (never widens to the whole endpoint)
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_capture_id_fkey" FOREIGN KEY ("capture_id") REFERENCES "captures"("id") ON DELETE CASCADE ON UPDATE CASCADE;
