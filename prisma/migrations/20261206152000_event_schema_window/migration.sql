-- SCHEMA_SAMPLE_LIMIT: an event type's schema from its newest N captures. event_schemas.window_size is
-- the N its state was built with (0: every capture since the first). A merge cannot be undone, so
-- the worker rebuilds a type's state from its newest N captures when it holds more than N + N/4,
-- and rebuilds every type whose window is not the setting after a restart that changed it.

-- AlterTable
ALTER TABLE "event_schemas" ADD COLUMN "window_size" INTEGER NOT NULL DEFAULT 0;
