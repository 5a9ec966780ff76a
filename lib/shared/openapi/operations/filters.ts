// The capture search filters as described query parameters, shared by the list, export and wait.
import { CAPTURE_FILTER_PARAMS } from "../../search/params";
import { ZWaitFilterParams } from "../../validation/exports";

const FILTER_WORDS: Record<keyof typeof CAPTURE_FILTER_PARAMS, string> = {
  q: "A search in the query language (docs/search.md): terms ANDed, e.g. `method:POST path:/stripe/* type:invoice.*`.",
  method: "Method, or a comma-separated list (`POST`, `get,put`).",
  path: "Path prefix (`/stripe`), or a glob over the whole path (`/stripe/*/events`).",
  header: "A header name (`stripe-signature`) or `name:value` with `*` wildcards.",
  type: "Event type (`payment_intent.succeeded`, `push`, `pull_request.opened`), exact; `*` is a glob (`invoice.*`).",
  event: "Event key, exact: every delivery of one event (`evt_1NqK`, an X-GitHub-Delivery GUID, a webhook-id).",
  content: "Content type contains this text (`json`).",
  drift:
    "`true`: captures that differed from their event type's inferred schema (a new field, a missing always-present field, a new type); `false`: the rest.",
  size: "Body size range: `>10kb`, `<=1mb`, `1kb..1mb`.",
  after: "Received at or after: an age (`1h`, `2d`) or an ISO date/date-time.",
  before: "Received before: an age or an ISO date/date-time.",
  text: "Body text contains this (case-insensitive).",
};

/** The named filters, each with its description, ready to `.extend()` a query schema. */
export const filterParams = <K extends keyof typeof CAPTURE_FILTER_PARAMS>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, CAPTURE_FILTER_PARAMS[k].meta({ description: FILTER_WORDS[k] })])) as {
    [P in K]: (typeof CAPTURE_FILTER_PARAMS)[P];
  };

export const ALL_FILTERS = Object.keys(CAPTURE_FILTER_PARAMS) as (keyof typeof CAPTURE_FILTER_PARAMS)[];
export const WAIT_FILTERS = Object.keys(ZWaitFilterParams.shape) as (keyof typeof ZWaitFilterParams.shape)[];
