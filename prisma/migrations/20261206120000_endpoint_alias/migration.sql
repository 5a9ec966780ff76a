-- A chosen name for an endpoint's capture URL (/h/<alias>), beside its random slug. Unique (one
-- endpoint per alias; concurrent creates of one alias: the index lets exactly one win). Stored in
-- lower case (the API lower-cases it), so uniqueness is case-insensitive. The capture lookup
-- reads `slug = ANY($1) OR alias = ANY($1)`: both unique indexes serve it.
ALTER TABLE "endpoints" ADD COLUMN "alias" TEXT;
CREATE UNIQUE INDEX "endpoints_alias_key" ON "endpoints"("alias");
