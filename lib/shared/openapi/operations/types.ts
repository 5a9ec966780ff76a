// The shape of one documented operation, and the pieces several resources' operations share.
import { z } from "zod";

export const ZErrorBody = z.object({
  error: z.object({
    code: z.string().meta({ description: "Stable machine-readable code, e.g. BAD_REQUEST, UNAUTHORIZED, NOT_FOUND." }),
    message: z.string().meta({ description: "What went wrong, in words." }),
    details: z.unknown().optional(),
  }),
});

export type Tag =
  "Endpoints" | "Captures" | "Live and automation" | "Forwarding and resend" | "Replay runs" | "Signatures" | "Share links" | "Instance";

export interface ResponseDoc {
  description: string;
  /** JSON body schema. */
  schema?: z.ZodType;
  /** Non-JSON body: media type and a description of it (e.g. a byte stream). */
  media?: { type: string; description: string; schema?: z.ZodType };
  headers?: Record<string, string>;
}

export interface Operation {
  method: "get" | "post" | "patch" | "put" | "delete";
  /** OpenAPI path, e.g. /api/endpoints/{id}. */
  path: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** Needs the endpoint's management key (Bearer or the browser's key cookie). */
  keyed: boolean;
  query?: z.ZodObject;
  /** Request headers read, name → description. */
  requestHeaders?: Record<string, string>;
  body?: z.ZodType;
  responses: Record<number, ResponseDoc>;
}

export const deleted = { 204: { description: "Deleted." } } satisfies Record<number, ResponseDoc>;
