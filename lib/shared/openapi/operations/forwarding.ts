// Forwarding and resend: forward rules, one-off resends, deliveries, and the smee channel.
import { z } from "zod";
import { ZDelivery, ZDeliveryListQuery, ZDeliveryPage, ZReportDeliveryRequest, ZResendRequest } from "../../validation/deliveries";
import {
  ZCreateForwardRuleRequest,
  ZForwardRule,
  ZForwardRuleList,
  ZRetryFailedResult,
  ZUpdateForwardRuleRequest,
} from "../../validation/forward-rules";
import { deleted, type Operation } from "./types";

export const FORWARDING_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/endpoints/{id}/forward-rules",
    tag: "Forwarding and resend",
    summary: "List forward rules with their outbox counts",
    description: "Re-sign secrets appear only as hints.",
    keyed: true,
    responses: { 200: { description: "The rules.", schema: ZForwardRuleList } },
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/forward-rules",
    tag: "Forwarding and resend",
    summary: "Add a forward rule",
    description: "Every new capture matching the rule's filters is queued and delivered to its target, with retries.",
    keyed: true,
    body: ZCreateForwardRuleRequest,
    responses: { 201: { description: "Added.", schema: ZForwardRule } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/forward-rules/{ruleId}",
    tag: "Forwarding and resend",
    summary: "One forward rule with its outbox counts",
    keyed: true,
    responses: { 200: { description: "The rule.", schema: ZForwardRule } },
  },
  {
    method: "patch",
    path: "/api/endpoints/{id}/forward-rules/{ruleId}",
    tag: "Forwarding and resend",
    summary: "Change a rule's target, filters, on/off, attempts, redirects or re-signing",
    keyed: true,
    body: ZUpdateForwardRuleRequest,
    responses: { 200: { description: "The rule as saved.", schema: ZForwardRule } },
  },
  {
    method: "delete",
    path: "/api/endpoints/{id}/forward-rules/{ruleId}",
    tag: "Forwarding and resend",
    summary: "Remove a rule and its queue",
    description: "Its deliveries stay, without the rule.",
    keyed: true,
    responses: deleted,
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/forward-rules/{ruleId}/retry-failed",
    tag: "Forwarding and resend",
    summary: "Retry every capture the rule gave up on",
    description:
      "Each failed capture is queued again with a fresh round of attempts; its earlier deliveries stay. A switched-off rule keeps them queued until it is on.",
    keyed: true,
    responses: { 200: { description: "How many were queued again.", schema: ZRetryFailedResult } },
  },
  {
    method: "post",
    path: "/api/captures/{id}/resend",
    tag: "Forwarding and resend",
    summary: "Send the capture (edited or not) to a URL once",
    keyed: true,
    body: ZResendRequest,
    responses: { 201: { description: "The recorded delivery.", schema: ZDelivery } },
  },
  {
    method: "get",
    path: "/api/captures/{id}/deliveries",
    tag: "Forwarding and resend",
    summary: "The capture's deliveries, newest first",
    description: "Resends, forward attempts and CLI forwards, with what each target answered.",
    keyed: true,
    query: ZDeliveryListQuery,
    responses: { 200: { description: "One page.", schema: ZDeliveryPage } },
  },
  {
    method: "post",
    path: "/api/captures/{id}/deliveries",
    tag: "Forwarding and resend",
    summary: "Record what a local target answered",
    description: "`hookscope forward` reports each request it delivered here.",
    keyed: true,
    body: ZReportDeliveryRequest,
    responses: { 201: { description: "Recorded.", schema: ZDelivery } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/smee",
    tag: "Forwarding and resend",
    summary: "The endpoint as a smee.io channel",
    description:
      "For `smee --url <this URL> --target <local URL>`. smee-client cannot send headers, so the management key may ride in `?key=`; resumes from Last-Event-ID like /events.",
    keyed: true,
    query: z.object({ key: z.string().optional().meta({ description: "The management key (smee-client cannot send headers)." }) }),
    responses: {
      200: { description: "An event stream in smee's format.", media: { type: "text/event-stream", description: "SSE frames." } },
    },
  },
];
