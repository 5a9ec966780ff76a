-- AlterTable: a constant default, so no table rewrite
ALTER TABLE "endpoints" ADD COLUMN "signing_rev" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "signing_secrets" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "scheme" TEXT NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "secret_enc" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signing_secrets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "capture_signatures" (
    "capture_id" UUID NOT NULL,
    "signing_rev" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "scheme" TEXT,
    "secret_label" TEXT,
    "verdict" JSONB NOT NULL,
    "computed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "capture_signatures_pkey" PRIMARY KEY ("capture_id")
);

-- CreateIndex
CREATE INDEX "signing_secrets_endpoint_id_idx" ON "signing_secrets"("endpoint_id");

-- AddForeignKey
ALTER TABLE "signing_secrets" ADD CONSTRAINT "signing_secrets_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capture_signatures" ADD CONSTRAINT "capture_signatures_capture_id_fkey" FOREIGN KEY ("capture_id") REFERENCES "captures"("id") ON DELETE CASCADE ON UPDATE CASCADE;
