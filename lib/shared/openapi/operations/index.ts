// Every API operation, described once for the OpenAPI document (/api/openapi.json) and the API
// page (/api-docs). Request and response shapes are the same zod schemas the route handlers
// validate with, so the document cannot drift from what the API accepts and answers.
// test/openapi.test.ts fails when a route file under app/api exports a method not listed here.
// A new operation goes in its resource's file beside this one; the order below is the document's.
import type { z } from "zod";
import { ZCapture, ZCapturePage, ZCaptureSummary } from "../../validation/captures";
import { ZDelivery, ZDeliveryPage } from "../../validation/deliveries";
import { ZCreateEndpointResponse, ZEndpoint, ZEndpointList } from "../../validation/endpoints";
import { ZExportedCapture } from "../../validation/exports";
import { ZForwardRule, ZForwardRuleList } from "../../validation/forward-rules";
import { ZReplayRun, ZReplayRunDetail, ZRunComparison } from "../../validation/replay";
import { ZCreatedShareLink, ZSharedCapture, ZSharedView, ZShareLink } from "../../validation/shares";
import {
  ZSendTestEventResponse,
  ZSignatureBatch,
  ZSignatureVerdict,
  ZSigningSecret,
  ZSigningSecretList,
} from "../../validation/signatures";
import { CAPTURE_OPERATIONS } from "./captures";
import { ENDPOINT_BY_SLUG, ENDPOINT_OPERATIONS } from "./endpoints";
import { FORWARDING_OPERATIONS } from "./forwarding";
import { INSTANCE_OPERATIONS } from "./instance";
import { LIVE_OPERATIONS } from "./live";
import { REPLAY_OPERATIONS } from "./replay";
import { SHARE_OPERATIONS } from "./shares";
import { SIGNATURE_OPERATIONS } from "./signatures";
import { ZErrorBody, type Operation } from "./types";

export { ZErrorBody, type Operation, type ResponseDoc, type Tag } from "./types";

/** Named schemas under components/schemas; everything else is inlined. */
export const NAMED_SCHEMAS: Record<string, z.ZodType> = {
  Endpoint: ZEndpoint,
  CreatedEndpoint: ZCreateEndpointResponse,
  EndpointList: ZEndpointList,
  CaptureSummary: ZCaptureSummary,
  CapturePage: ZCapturePage,
  Capture: ZCapture,
  ExportedCapture: ZExportedCapture,
  SigningSecret: ZSigningSecret,
  SigningSecretList: ZSigningSecretList,
  SignatureVerdict: ZSignatureVerdict,
  SignatureBatch: ZSignatureBatch,
  TestEventResult: ZSendTestEventResponse,
  ForwardRule: ZForwardRule,
  ForwardRuleList: ZForwardRuleList,
  Delivery: ZDelivery,
  DeliveryPage: ZDeliveryPage,
  ReplayRun: ZReplayRun,
  ReplayRunDetail: ZReplayRunDetail,
  RunComparison: ZRunComparison,
  ShareLink: ZShareLink,
  CreatedShareLink: ZCreatedShareLink,
  SharedView: ZSharedView,
  SharedCapture: ZSharedCapture,
  Error: ZErrorBody,
};

export const OPERATIONS: Operation[] = [
  ...ENDPOINT_OPERATIONS,
  ...CAPTURE_OPERATIONS,
  ...LIVE_OPERATIONS,
  ...FORWARDING_OPERATIONS,
  // Kept where it has always been (after smee, which `hookscope forward` pairs it with), so the
  // document's path order does not change.
  ENDPOINT_BY_SLUG,
  ...REPLAY_OPERATIONS,
  ...SIGNATURE_OPERATIONS,
  ...SHARE_OPERATIONS,
  ...INSTANCE_OPERATIONS,
];
