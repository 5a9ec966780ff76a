// Every export format by id. The ids (and the words people read) are lib/shared/export/formats.ts;
// the type below refuses an id there without an encoder here, and an encoder under another id.
import "server-only";
import type { TExportFormat } from "@/lib/shared/export/formats";
import type { ExportEncoder } from "@/lib/server/export/format";
import { har } from "./har";
import { ndjson } from "./ndjson";

/** One encoder per format id, under its own id. */
export type TExportEncoders = { [Id in TExportFormat]: ExportEncoder<Id> };

export const EXPORT_ENCODERS = { har, ndjson } satisfies TExportEncoders;
