-- Trailer fields of a chunked request ([name, value][] like headers), kept as they arrived;
-- null when the request had none.

-- AlterTable
ALTER TABLE "captures" ADD COLUMN "trailers" JSONB;
