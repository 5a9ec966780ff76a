"use client";
// An event type's inferred schema and the code generated from it, in the event catalogue: a
// Schema / TypeScript / zod switch, the text, Copy and Download. `type` null: every type of the
// endpoint (with the union discriminated by type).
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { describeError } from "@/lib/browser/query/api";
import { useEventCode, useEventSchemaInfo } from "@/lib/browser/query/use-event-code";
import type { TCodeLang } from "@/lib/shared/validation/event-catalogue";

const LANGS: { lang: TCodeLang; label: string; ext: string }[] = [
  { lang: "schema", label: "JSON Schema", ext: "schema.json" },
  { lang: "typescript", label: "TypeScript", ext: "ts" },
  { lang: "zod", label: "zod", ext: "zod.ts" },
];

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function EventSchemaPanel({ endpointId, type, fileBase }: { endpointId: string; type: string | null; fileBase: string }) {
  const [lang, setLang] = useState<TCodeLang>("schema");
  const code = useEventCode(endpointId, type, lang, true);
  const info = useEventSchemaInfo(endpointId, type).data;
  const current = LANGS.find((l) => l.lang === lang)!;
  return (
    <section
      className="mt-3 rounded border border-zinc-200 dark:border-zinc-700"
      aria-label={type === null ? "Code for every event type" : `Schema of ${type}`}
      data-testid="event-schema-panel"
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 px-2 py-1.5 dark:border-zinc-700">
        <span className="min-w-0 truncate text-xs font-medium text-zinc-600 dark:text-zinc-300">
          {type === null ? "All event types (a union by type)" : type}
        </span>
        {info && (
          <span className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="event-schema-samples">
            from {info.samples.toLocaleString("en")} {info.samples === 1 ? "capture" : "captures"}
            {info.mergedSeq < info.captureSeq ? " (merging newer ones…)" : ""}
          </span>
        )}
        <div role="radiogroup" aria-label="Format" className="ml-auto flex gap-1">
          {LANGS.map((l) => (
            <button
              key={l.lang}
              type="button"
              role="radio"
              aria-checked={lang === l.lang}
              className={buttonClass(lang === l.lang ? "secondary" : "ghost", "", "sm")}
              onClick={() => setLang(l.lang)}
              data-testid={`event-schema-lang-${l.lang}`}
            >
              {l.label}
            </button>
          ))}
        </div>
        <ClipboardButton text={code.data ?? ""} disabled={!code.data} label="Copy" copiedMessage={`${current.label} copied`} size="sm" />
        <button
          type="button"
          className={buttonClass("ghost", "", "sm")}
          disabled={!code.data}
          onClick={() => code.data && download(`${fileBase}.${current.ext}`, code.data)}
          data-testid="event-schema-download"
        >
          Download
        </button>
      </div>
      {code.isPending ? (
        <p className="p-2 text-sm text-zinc-500" aria-busy="true">
          Generating…
        </p>
      ) : code.isError ? (
        <p role="alert" className="p-2 text-sm text-red-700 dark:text-red-400">
          {describeError(code.error)}
        </p>
      ) : (
        <pre className="max-h-[40dvh] overflow-auto p-2 font-mono text-xs leading-5" data-testid="event-schema-code">
          {code.data}
        </pre>
      )}
    </section>
  );
}
