// The OpenAPI 3.1 document, built from OPERATIONS and the zod schemas they name. OpenAPI 3.1
// schemas are JSON Schema 2020-12, which is z.toJSONSchema's default target: request schemas
// are converted as input (defaults optional, before transforms), responses as output.
import { z } from "zod";
import { NAMED_SCHEMAS, OPERATIONS, type Operation, type ResponseDoc } from "./operations";

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

function toSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  void _drop;
  return rest;
}

const named = new Map<z.ZodType, string>(Object.entries(NAMED_SCHEMAS).map(([name, s]) => [s, name]));

function responseSchema(schema: z.ZodType): JsonSchema {
  const name = named.get(schema);
  return name ? { $ref: `#/components/schemas/${name}` } : toSchema(schema, "output");
}

const TAGS: Record<Operation["tag"], string> = {
  Endpoints: "Create, read, change and delete endpoints. Reading or changing one needs its management key.",
  Captures: "The requests an endpoint stored: list, read, download, export, delete.",
  "Live and automation": "Follow captures as they arrive (SSE) or wait for the next one (long-poll, for CI).",
  "Forwarding and resend": "Send captures on: forward rules with an outbox and retries, one-off resends, deliveries, the CLI and smee.",
  "Replay runs": "Send a chosen set of captures to a target, check every answer, and compare two runs of the same set (docs/replay.md).",
  Signatures: "Signing secrets, verdicts and signed test events.",
  "Share links": "Read-only links to a capture or an endpoint: created, listed and revoked with the key; read with the token alone.",
  Instance: "Health and this description.",
};

function pathParams(path: string): JsonSchema[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: /id$/i.test(name!) ? { type: "string", format: "uuid" } : { type: "string" },
  }));
}

function queryParams(op: Operation): JsonSchema[] {
  if (!op.query) return [];
  const s = toSchema(op.query, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema as { description?: string };
    return { name, in: "query", required: s.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

function response(r: ResponseDoc): JsonSchema {
  const out: JsonSchema = { description: r.description };
  if (r.schema) out.content = { "application/json": { schema: responseSchema(r.schema) } };
  else if (r.media) {
    out.content = {
      [r.media.type]: { ...(r.media.schema ? { schema: responseSchema(r.media.schema) } : {}) },
    };
    out.description = `${r.description} ${r.media.description}`;
  }
  if (r.headers)
    out.headers = Object.fromEntries(Object.entries(r.headers).map(([k, d]) => [k, { description: d, schema: { type: "string" } }]));
  return out;
}

const ERROR_RESPONSE = {
  description: "Error envelope.",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

function operation(op: Operation): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, r] of Object.entries(op.responses)) responses[status] = response(r);
  if (op.query || op.body) responses["400"] ??= { ...ERROR_RESPONSE, description: "Invalid input; the message names the field." };
  if (op.keyed) {
    responses["401"] ??= { ...ERROR_RESPONSE, description: "No credentials." };
    responses["404"] ??= { ...ERROR_RESPONSE, description: "Unknown id, or a key that is not this endpoint's (the same answer)." };
    if (op.method !== "get") {
      responses["403"] ??= {
        ...ERROR_RESPONSE,
        description: "CROSS_SITE_REQUEST: authenticated by the key cookie alone, and the browser says another site or origin sent it.",
      };
    }
  }
  responses["503"] ??= { ...ERROR_RESPONSE, description: "The database is unavailable; retry (Retry-After)." };
  const headerParams = Object.entries(op.requestHeaders ?? {}).map(([name, description]) => ({
    name,
    in: "header",
    required: false,
    description,
    schema: { type: "string" },
  }));
  return {
    operationId: `${op.method}${op.path
      .replace(/^\/api/, "")
      .replace(/\.json$/, "")
      .split(/[/{}-]+/)
      .filter(Boolean)
      .map((p) => p[0]!.toUpperCase() + p.slice(1))
      .join("")}`,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.keyed ? { security: [{ bearerKey: [] }, { keyCookie: [] }] } : { security: [] }),
    parameters: [...pathParams(op.path), ...queryParams(op), ...headerParams],
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(op.body, "input") } } } } : {}),
    responses,
  };
}

let cached: Omit<OpenApiDocument, "servers"> | null = null;

/** The document; `serverUrl` is this instance's public origin. */
export function buildOpenApiDocument(serverUrl: string): OpenApiDocument {
  cached ??= {
    openapi: "3.1.0",
    info: {
      title: "Hookscope API",
      version: "0.1.0",
      description:
        'Every response is JSON unless stated; every error is `{ "error": { "code", "message" } }` with a matching status. Reading or changing an endpoint needs its management key, as `Authorization: Bearer <key>` or the key cookie of the browser that created it. The capture URLs themselves (`/h/<slug>/…`) take any method and are not part of this API.',
    },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths: OPERATIONS.reduce<OpenApiDocument["paths"]>((paths, op) => {
      (paths[op.path] ??= {})[op.method] = operation(op);
      return paths;
    }, {}),
    components: {
      schemas: Object.fromEntries(Object.entries(NAMED_SCHEMAS).map(([name, s]) => [name, toSchema(s, "output")])),
      securitySchemes: {
        bearerKey: { type: "http", scheme: "bearer", description: "The endpoint's management key (hsk_…), shown once at creation." },
        keyCookie: {
          type: "apiKey",
          in: "cookie",
          name: "hsk_<endpoint id>",
          description: "Set for the browser that created the endpoint, or by POST /api/endpoints/{id}/session.",
        },
      },
    },
  };
  return { ...cached, servers: [{ url: serverUrl }] };
}
