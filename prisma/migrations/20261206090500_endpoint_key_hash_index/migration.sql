-- Adding an endpoint to a browser by its management key alone (POST /api/endpoints/session)
-- finds it by the key's sha256.

-- CreateIndex
CREATE INDEX "endpoints_key_hash_idx" ON "endpoints"("key_hash");
