-- A schema's state as json, not jsonb: jsonb stores an object's keys sorted (shortest first), so a
-- schema listed an event's fields in that order instead of the order the provider sends them
-- (first seen first, lib/shared/schema/infer.ts). States stored before keep the sorted order.
ALTER TABLE "event_schemas" ALTER COLUMN "state" SET DATA TYPE JSON USING "state"::json;
