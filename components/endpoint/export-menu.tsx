"use client";
// "Export": download the endpoint's captures in one of the export formats (HAR 1.2, NDJSON, …).
// Plain links to the streaming export route; the browser's key cookie authorises them and the
// server's Content-Disposition names the file.
import { useCallback, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { useDismiss } from "@/components/ui/use-dismiss";
import { EXPORT_FORMAT_INFO } from "@/lib/shared/export/formats";

/** The streaming export route for one format; `query` is the active search as parameters. */
export function exportHref(endpointId: string, format: string, query: string): string {
  return `/api/endpoints/${encodeURIComponent(endpointId)}/export?format=${format}${query ? `&${query}` : ""}`;
}

const SCHEMA_BUNDLES = [
  { lang: "schema", label: "Schema bundle (JSON Schema)", hint: "Every event type's schema under $defs" },
  { lang: "typescript", label: "TypeScript types", hint: "Every type and a union by event type" },
  { lang: "zod", label: "zod schemas", hint: "Every type and a discriminated union" },
] as const;

export function ExportMenu({
  endpointId,
  query = "",
  filterLabel = null,
}: {
  endpointId: string;
  /** The search as query parameters (without "?"): only matching captures are exported. */
  query?: string;
  /** The search in words, shown in the menu while one is active. */
  filterLabel?: string | null;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useDismiss(
    ref,
    open,
    useCallback(() => setOpen(false), []),
  );

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        className={buttonClass("ghost")}
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="open-export"
        onClick={() => setOpen((o) => !o)}
      >
        Export
      </button>
      {open && (
        <div
          role="menu"
          aria-label="Export captures"
          className="absolute right-0 z-20 mt-1 w-72 rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <p className="px-3 pt-1.5 pb-1 text-xs text-zinc-600 dark:text-zinc-400" data-testid="export-scope">
            {filterLabel ? (
              <>
                Captures matching <code className="font-mono text-zinc-700 dark:text-zinc-300">{filterLabel}</code>
              </>
            ) : (
              "Every capture, oldest first"
            )}
          </p>
          {EXPORT_FORMAT_INFO.map((f) => (
            <a
              key={f.id}
              role="menuitem"
              href={exportHref(endpointId, f.id, query)}
              download
              data-testid={`export-${f.id}`}
              onClick={() => setOpen(false)}
              className="block rounded px-3 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
            >
              <span className="font-medium">{f.label}</span>
              <span className="block text-xs text-zinc-600 dark:text-zinc-400">{f.hint}</span>
            </a>
          ))}
          {/* Not captures but what they taught: every event type's inferred schema and code (docs/event-schemas.md). */}
          <p className="mt-1 border-t border-zinc-200 px-3 pt-2 pb-1 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            Event types, inferred from every capture
          </p>
          {SCHEMA_BUNDLES.map((b) => (
            <a
              key={b.lang}
              role="menuitem"
              href={`/api/endpoints/${encodeURIComponent(endpointId)}/event-types/code?lang=${b.lang}&download=1`}
              download
              data-testid={`export-schema-${b.lang}`}
              onClick={() => setOpen(false)}
              className="block rounded px-3 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
            >
              <span className="font-medium">{b.label}</span>
              <span className="block text-xs text-zinc-600 dark:text-zinc-400">{b.hint}</span>
            </a>
          ))}
        </div>
      )}
    </div>
  );
}
