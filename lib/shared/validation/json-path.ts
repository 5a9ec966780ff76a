// The one JSON path syntax of response rules, event keys and replay checks: `data.object.id`,
// `items[0].id` or `items.0.id`, optionally led by `$.`; names and array indexes only. Read by
// lib/shared/format/json-path.ts. On its own (zod only) so the CLI's bundle, which checks replay
// answers, does not take in the response rules' template engine.
import { z } from "zod";

const JSON_PATH = /^(\$\.)?[\w$-]+(\[\d+\]|\.[\w$-]+)*$/;

export const ZJsonPath = z
  .string()
  .max(256, "JSON path is limited to 256 characters")
  .regex(JSON_PATH, "JSON path must look like data.object.id or items[0].id");
