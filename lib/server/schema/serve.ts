// The schema and generated-code answers shared by the event-type routes.
import "server-only";
import { readEventSchema, readEventSchemas } from "@/lib/server/db/event-schemas";
import { AppError } from "@/lib/shared/errors/app-error";
import { renderSchema } from "@/lib/shared/schema/infer";
import { EVENT_CATALOGUE_LIMIT, type TCodeLang, type TEventSchemaResponse } from "@/lib/shared/validation/event-catalogue";
import { cachedCode, schemaRevision } from "./code-cache";
import { generateCode, typeNameOf } from "./codegen";

export async function eventSchemaOf(endpointId: string, type: string): Promise<TEventSchemaResponse> {
  const { stored, progress } = await readEventSchema(endpointId, type);
  if (!stored) {
    throw new AppError(
      "NOT_FOUND",
      progress.mergedSeq < progress.captureSeq
        ? `No schema for "${type}" yet: captures are still being merged (up to #${progress.mergedSeq} of #${progress.captureSeq}).`
        : `No schema for "${type}": no capture of this type had a JSON object body.`,
    );
  }
  return {
    type,
    samples: stored.samples,
    window: stored.window,
    updatedAt: stored.updatedAt,
    ...progress,
    schema: renderSchema(stored.state, type),
  };
}

const EXT: Record<TCodeLang, string> = { typescript: "ts", zod: "zod.ts", schema: "schema.json" };

/** Code (or the JSON Schema bundle) for one type, or every type of the endpoint when `type` is null. */
export async function codeResponse(
  endpointId: string,
  type: string | null,
  lang: TCodeLang,
  download: boolean,
  slug: string,
): Promise<Response> {
  const schemas =
    type === null
      ? (await readEventSchemas(endpointId, EVENT_CATALOGUE_LIMIT)).map((s) => ({
          type: s.type,
          updatedAt: s.updatedAt,
          schema: renderSchema(s.state, s.type),
        }))
      : [await eventSchemaOf(endpointId, type)];
  // One type that has no schema is not found; an endpoint with none yet gets a file that says so
  // (a 404 would read like a wrong key or id).
  if (schemas.length === 0 && type !== null)
    throw new AppError("NOT_FOUND", "No schema yet: no capture with an event type and a JSON object body has been merged.");
  const text =
    schemas.length === 0 && lang !== "schema"
      ? "// No event types yet: no capture with an event type and a JSON object body has been merged.\n"
      : lang === "schema"
        ? JSON.stringify(
            type === null
              ? {
                  $schema: "https://json-schema.org/draft/2020-12/schema",
                  $defs: Object.fromEntries(schemas.map((s) => [s.type, s.schema])),
                }
              : schemas[0]!.schema,
            null,
            2,
          ) + "\n"
        : await cachedCode(
            `${endpointId}\u0000${type ?? ""}\u0000${lang}\u0000${schemaRevision(schemas)}`,
            async () => (await generateCode(lang, schemas)).code,
          );
  const base = type === null ? `${slug}-events` : typeNameOf(type);
  const headers: Record<string, string> = {
    "content-type": lang === "schema" ? "application/schema+json; charset=utf-8" : "text/plain; charset=utf-8",
    "cache-control": "no-store",
  };
  if (download) headers["content-disposition"] = `attachment; filename="${base.replace(/[^\w.-]/g, "_")}.${EXT[lang]}"`;
  return new Response(text, { status: 200, headers });
}
