// Instance: health, settings, and this description.
import { z } from "zod";
import { ZInstanceInfo } from "../../validation/endpoints";
import { type Operation } from "./types";

const ZHealth = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.enum(["up", "down"]),
  latencyMs: z.number().optional(),
  liveSubscribers: z.number().int(),
  liveListening: z
    .boolean()
    .nullable()
    .describe("Whether this process's LISTEN connection is up; null when neither a live stream nor the search indexer has used it."),
});

export const INSTANCE_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/health",
    tag: "Instance",
    summary: "Liveness and database reachability",
    keyed: false,
    responses: { 200: { description: "Database up.", schema: ZHealth }, 503: { description: "Database down.", schema: ZHealth } },
  },
  {
    method: "get",
    path: "/api/instance",
    tag: "Instance",
    summary: "What this instance requires and allows",
    description: "Whether creating an endpoint needs a token, retention defaults and ceilings, endpoint expiry.",
    keyed: false,
    responses: { 200: { description: "Instance settings.", schema: ZInstanceInfo } },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    tag: "Instance",
    summary: "This document",
    keyed: false,
    responses: { 200: { description: "OpenAPI 3.1.", media: { type: "application/json", description: "The OpenAPI document." } } },
  },
];
