// The export formats by id, with what people read about them: the API's `format` values
// (ZExportFormat in lib/shared/validation/exports.ts) and the dashboard's Export menu both come
// from this list. Universal, so no encoder here: each id's encoder is a file in
// lib/server/export/formats/, and that registry's type refuses an id without one.

export interface TExportFormatInfo {
  /** The `format` query value and the downloaded file's extension. */
  id: string;
  /** The Export menu's item. */
  label: string;
  /** One line under the label. */
  hint: string;
  /** The API docs' words for it (the `format` parameter's description). */
  description: string;
}

export const EXPORT_FORMAT_INFO = [
  { id: "har", label: "HAR 1.2", hint: "Opens in browser devtools (Network → Import)", description: "a HAR 1.2 document" },
  { id: "ndjson", label: "NDJSON", hint: "One capture per line, body as base64", description: "one capture per line, body base64" },
] as const satisfies readonly TExportFormatInfo[];

export type TExportFormat = (typeof EXPORT_FORMAT_INFO)[number]["id"];

/** The ids in list order, typed as a non-empty tuple (what z.enum takes). */
export const EXPORT_FORMATS = EXPORT_FORMAT_INFO.map((f) => f.id) as [TExportFormat, ...TExportFormat[]];
