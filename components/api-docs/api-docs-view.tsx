// The API page: the OpenAPI document rendered by us (no external viewer or CDN script). Grouped
// by tag, one section per operation: method and path, whether it needs the key, parameters,
// request body and responses with their schemas; named schemas listed at the end.
import { MethodBadge } from "@/components/capture/method-badge";
import type { OpenApiDocument } from "@/lib/shared/openapi/document";
import { SchemaView, typeLabel, type JsonSchema } from "./schema-view";

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

interface Op {
  path: string;
  method: string;
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: unknown[];
  parameters: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

/** Inline `code` in descriptions, rendered as text (never HTML). */
function Prose({ text, className = "" }: { text: string; className?: string }) {
  return (
    <p className={className}>
      {text.split(/(`[^`]+`)/g).map((part, i) =>
        part.startsWith("`") && part.endsWith("`") ? (
          <code key={i} className="rounded bg-zinc-100 px-1 font-mono text-[0.9em] dark:bg-zinc-800">
            {part.slice(1, -1)}
          </code>
        ) : (
          part
        ),
      )}
    </p>
  );
}

function operations(doc: OpenApiDocument): Op[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, ...(op as unknown as Omit<Op, "path" | "method">) })),
  );
}

function Operation({ op }: { op: Op }) {
  const keyed = op.security.length > 0;
  const body = op.requestBody && Object.values(op.requestBody.content)[0]?.schema;
  return (
    <section id={op.operationId} data-testid="api-operation" className="scroll-mt-4 border-t border-zinc-200 py-6 dark:border-zinc-800">
      <h3 className="flex flex-wrap items-center gap-2">
        <MethodBadge method={op.method.toUpperCase()} />
        <code className="font-mono text-sm font-semibold">{op.path}</code>
        {keyed ? (
          <span className="rounded border border-amber-300 px-1.5 text-[11px] text-amber-800 dark:border-amber-800 dark:text-amber-300">
            management key
          </span>
        ) : (
          <span className="rounded border border-zinc-300 px-1.5 text-[11px] text-zinc-500 dark:border-zinc-700">public</span>
        )}
      </h3>
      <p className="mt-2 font-medium">{op.summary}</p>
      {op.description && <Prose text={op.description} className="mt-1 text-sm text-zinc-600 dark:text-zinc-400" />}

      {op.parameters.length > 0 && (
        <div className="mt-4">
          <h4 className="text-xs font-semibold text-zinc-500 uppercase">Parameters</h4>
          <table className="mt-1 w-full text-left text-sm">
            <tbody>
              {op.parameters.map((p) => (
                <tr key={`${p.in}-${p.name}`} className="border-b border-zinc-100 align-top dark:border-zinc-900">
                  <td className="py-1 pr-3 font-mono text-[13px] whitespace-nowrap">
                    {p.name}
                    {!p.required && <span className="ml-1 font-sans text-xs text-zinc-400">optional</span>}
                  </td>
                  <td className="py-1 pr-3 text-xs text-zinc-500">{p.in}</td>
                  <td className="py-1 pr-3 font-mono text-xs">
                    {typeLabel(p.schema)}
                    {p.schema.default !== undefined && (
                      <span className="ml-1 font-sans text-zinc-500">default {JSON.stringify(p.schema.default)}</span>
                    )}
                  </td>
                  <td className="py-1 text-xs text-zinc-600 dark:text-zinc-400">{p.description && <Prose text={p.description} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {body && (
        <div className="mt-4">
          <h4 className="text-xs font-semibold text-zinc-500 uppercase">JSON body</h4>
          <div className="mt-1">
            <SchemaView schema={body} />
          </div>
        </div>
      )}

      <div className="mt-4">
        <h4 className="text-xs font-semibold text-zinc-500 uppercase">Responses</h4>
        <dl className="mt-1 space-y-2">
          {Object.entries(op.responses).map(([status, r]) => {
            const [type, media] = Object.entries(r.content ?? {})[0] ?? [];
            return (
              <div key={status} className="text-sm">
                <dt className="inline font-mono font-semibold">{status}</dt>
                <dd className="ml-2 inline text-zinc-600 dark:text-zinc-400">
                  <Prose text={r.description} className="inline" />
                  {type && <span className="ml-2 font-mono text-xs text-zinc-500">{type}</span>}
                  {media?.schema && <span className="ml-2 font-mono text-xs">{typeLabel(media.schema)}</span>}
                </dd>
              </div>
            );
          })}
        </dl>
      </div>
    </section>
  );
}

export function ApiDocsView({ doc }: { doc: OpenApiDocument }) {
  const ops = operations(doc);
  return (
    <div className="mx-auto flex max-w-6xl gap-8 px-4 py-6">
      <nav
        aria-label="API operations"
        className="sticky top-4 hidden max-h-[calc(100dvh-2rem)] w-64 shrink-0 overflow-auto text-sm md:block"
      >
        {doc.tags.map((t) => (
          <div key={t.name} className="mb-4">
            <a href={`#tag-${t.name}`} className="font-semibold">
              {t.name}
            </a>
            <ul className="mt-1 space-y-0.5">
              {ops
                .filter((o) => o.tags.includes(t.name))
                .map((o) => (
                  <li key={o.operationId}>
                    <a
                      href={`#${o.operationId}`}
                      className="block truncate text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
                    >
                      <span className="inline-block w-12 font-mono text-[11px] uppercase">{o.method}</span>
                      {o.path.replace(/^\/api/, "")}
                    </a>
                  </li>
                ))}
            </ul>
          </div>
        ))}
        <a href="#schemas" className="font-semibold">
          Schemas
        </a>
      </nav>
      <main className="min-w-0 flex-1">
        <h1 className="text-2xl font-semibold">{doc.info.title}</h1>
        <Prose text={doc.info.description} className="mt-2 text-sm text-zinc-600 dark:text-zinc-400" />
        <p className="mt-2 text-sm">
          Machine-readable:{" "}
          <a href="/api/openapi.json" className="font-mono text-indigo-700 underline dark:text-indigo-300">
            /api/openapi.json
          </a>{" "}
          (OpenAPI {doc.openapi}). Base URL <code className="font-mono">{doc.servers[0]?.url}</code>.
        </p>
        {doc.tags.map((t) => (
          <div key={t.name} id={`tag-${t.name}`} className="mt-10 scroll-mt-4">
            <h2 className="text-lg font-semibold">{t.name}</h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{t.description}</p>
            {ops
              .filter((o) => o.tags.includes(t.name))
              .map((o) => (
                <Operation key={o.operationId} op={o} />
              ))}
          </div>
        ))}
        <div id="schemas" className="mt-10 scroll-mt-4">
          <h2 className="text-lg font-semibold">Schemas</h2>
          {Object.entries(doc.components.schemas).map(([name, s]) => (
            <section key={name} id={`schema-${name}`} className="scroll-mt-4 border-t border-zinc-200 py-4 dark:border-zinc-800">
              <h3 className="font-mono text-sm font-semibold">{name}</h3>
              <div className="mt-1">
                <SchemaView schema={s} />
              </div>
            </section>
          ))}
        </div>
      </main>
    </div>
  );
}
