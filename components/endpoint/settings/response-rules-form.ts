// The rule editor's state (strings, as typed) and its translation to the API's rules, checked with
// the API's own schema so the editor shows the server's messages next to the same fields.
// Error keys: `<rowKey>.<field>`, e.g. `7.path`, `7.cond.12`, `7.answer.status`, `7.failure.percent`.
import type { TFieldIssue } from "@/lib/browser/query/api";
import {
  ZPutResponseRulesRequest,
  type TPutResponseRulesRequest,
  type TResponseRule,
  type TRuleFailure,
} from "@/lib/shared/validation/response-rules";

export type TConditionKind = "query" | "headerPresent" | "headerEquals" | "headerRegex" | "jsonEquals" | "jsonExists" | "contains";

export interface TConditionForm {
  rowKey: number;
  kind: TConditionKind;
  /** Query parameter or header name, JSON path, or the text to look for (contains). */
  name: string;
  /** Query value (empty: present), header value or regex, JSON value. */
  value: string;
}

export type TFailureMode = "none" | TRuleFailure["mode"];

export interface TRuleForm {
  rowKey: number;
  id: string | undefined;
  name: string;
  /** Comma or space separated; empty: any method. */
  methods: string;
  /** Empty: any path. */
  path: string;
  conditions: TConditionForm[];
  status: string;
  contentType: string;
  delayMs: string;
  /** `Name: value` per line. */
  headers: string;
  customBody: boolean;
  body: string;
  failure: TFailureMode;
  failureStatus: string;
  percent: string;
  count: string;
  keyFrom: "header" | "json";
  key: string;
  slowMs: string;
}

export type TRuleErrors = Record<string, string>;

let keys = 0;
const nextKey = () => ++keys;

export const newCondition = (kind: TConditionKind = "headerEquals"): TConditionForm => ({ rowKey: nextKey(), kind, name: "", value: "" });

export function newRuleForm(): TRuleForm {
  return {
    rowKey: nextKey(),
    id: undefined,
    name: "",
    methods: "",
    path: "",
    conditions: [],
    status: "200",
    contentType: "",
    delayMs: "0",
    headers: "",
    customBody: false,
    body: "",
    failure: "none",
    failureStatus: "500",
    percent: "50",
    count: "2",
    keyFrom: "header",
    key: "webhook-id",
    slowMs: "35000",
  };
}

export function formFromRule(r: TResponseRule): TRuleForm {
  const f = newRuleForm();
  const conditions: TConditionForm[] = [
    ...r.match.query.map((q) => ({ rowKey: nextKey(), kind: "query" as const, name: q.name, value: q.value ?? "" })),
    ...r.match.headers.map((h) => ({
      rowKey: nextKey(),
      kind: h.op === "present" ? ("headerPresent" as const) : h.op === "equals" ? ("headerEquals" as const) : ("headerRegex" as const),
      name: h.name,
      value: h.op === "present" ? "" : h.value,
    })),
  ];
  const b = r.match.body;
  if (b)
    conditions.push({
      rowKey: nextKey(),
      kind: b.op,
      name: b.op === "contains" ? b.text : b.path,
      value: b.op === "jsonEquals" ? b.value : "",
    });
  const fl = r.failure;
  return {
    ...f,
    id: r.id,
    name: r.name,
    methods: r.match.methods?.join(", ") ?? "",
    path: r.match.path ?? "",
    conditions,
    status: String(r.answer.status),
    contentType: r.answer.contentType ?? "",
    delayMs: String(r.answer.delayMs),
    headers: r.answer.headers.map(([n, v]) => `${n}: ${v}`).join("\n"),
    customBody: r.answer.body !== null,
    body: r.answer.body ?? "",
    failure: fl?.mode ?? "none",
    failureStatus: fl && "status" in fl ? String(fl.status) : f.failureStatus,
    percent: fl?.mode === "percentage" ? String(fl.percent) : f.percent,
    count: fl?.mode === "firstN" ? String(fl.count) : f.count,
    keyFrom: fl?.mode === "firstN" ? fl.key.from : f.keyFrom,
    key: fl?.mode === "firstN" ? (fl.key.from === "header" ? fl.key.name : fl.key.path) : f.key,
    slowMs: fl?.mode === "slow" ? String(fl.delayMs) : f.slowMs,
  };
}

const num = (s: string) => (s.trim() === "" ? NaN : Number(s));

type TRuleInput = TPutResponseRulesRequest["rules"][number];

/** One rule as the API takes it, and where each of its query/header/body conditions came from (for errors). */
function toRule(f: TRuleForm): { rule: TRuleInput; query: number[]; headers: number[]; body: number | null; headerLines: number } {
  const query: number[] = [];
  const headers: number[] = [];
  let body: number | null = null;
  const match: TRuleInput["match"] = {
    methods:
      f.methods.trim() === ""
        ? null
        : (f.methods
            .split(/[\s,]+/)
            .filter(Boolean)
            .map((m) => m.toUpperCase()) as TRuleInput["match"]["methods"]),
    path: f.path.trim() === "" ? null : f.path.trim(),
    query: [],
    headers: [],
    body: null,
  };
  for (const c of f.conditions) {
    if (c.kind === "query") {
      match.query.push({ name: c.name.trim(), value: c.value === "" ? null : c.value });
      query.push(c.rowKey);
    } else if (c.kind === "headerPresent" || c.kind === "headerEquals" || c.kind === "headerRegex") {
      const name = c.name.trim();
      match.headers.push(
        c.kind === "headerPresent" ? { op: "present", name } : { op: c.kind === "headerEquals" ? "equals" : "regex", name, value: c.value },
      );
      headers.push(c.rowKey);
    } else if (body === null) {
      match.body =
        c.kind === "contains"
          ? { op: "contains", text: c.name }
          : c.kind === "jsonExists"
            ? { op: "jsonExists", path: c.name.trim() }
            : { op: "jsonEquals", path: c.name.trim(), value: c.value };
      body = c.rowKey;
    } else {
      body = -c.rowKey; // a second body condition: refused below
    }
  }
  const lines = f.headers.split("\n").filter((l) => l.trim() !== "");
  const failureStatus = num(f.failureStatus);
  const failure: TRuleFailure | null =
    f.failure === "none"
      ? null
      : f.failure === "percentage"
        ? { mode: "percentage", percent: num(f.percent), status: failureStatus }
        : f.failure === "firstN"
          ? {
              mode: "firstN",
              count: num(f.count),
              status: failureStatus,
              key: f.keyFrom === "header" ? { from: "header", name: f.key.trim() } : { from: "json", path: f.key.trim() },
            }
          : f.failure === "slow"
            ? { mode: "slow", delayMs: num(f.slowMs) }
            : { mode: "close" };
  return {
    rule: {
      id: f.id,
      name: f.name.trim(),
      match,
      answer: {
        status: num(f.status),
        headers: lines.map((l) => {
          const i = l.indexOf(":");
          return (i === -1 ? [l.trim(), ""] : [l.slice(0, i).trim(), l.slice(i + 1).trim()]) as [string, string];
        }),
        body: f.customBody ? f.body : null,
        contentType: f.contentType.trim() === "" ? null : f.contentType.trim(),
        delayMs: f.delayMs.trim() === "" ? 0 : num(f.delayMs),
      },
      failure,
    },
    query,
    headers,
    body,
    headerLines: lines.length,
  };
}

/** The rules to send, or the errors to show by field. */
export function rulesFromForm(forms: TRuleForm[]): { ok: true; input: TPutResponseRulesRequest } | { ok: false; errors: TRuleErrors } {
  const built = forms.map(toRule);
  const errors: TRuleErrors = {};
  built.forEach((b, i) => {
    if (b.body !== null && b.body < 0) errors[`${forms[i]!.rowKey}.cond.${-b.body}`] = "Only one body condition per rule";
  });
  const input = { rules: built.map((b) => b.rule) };
  const parsed = ZPutResponseRulesRequest.safeParse(input);
  if (!parsed.success)
    Object.assign(
      errors,
      errorsFromIssues(
        parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
        forms,
      ),
    );
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, input };
}

/** Field errors from issues with paths like ["rules", 2, "match", "headers", 0, "value"] (the API's 400 or the schema's). */
export function errorsFromIssues(issues: TFieldIssue[], forms: TRuleForm[]): TRuleErrors {
  const built = forms.map(toRule);
  const out: TRuleErrors = {};
  for (const issue of issues) {
    const [top, index, ...rest] = issue.path;
    const form = top === "rules" && index !== undefined ? forms[Number(index)] : undefined;
    if (!form) {
      out.form ??= issue.message;
      continue;
    }
    const b = built[Number(index)]!;
    let field: string;
    if (rest[0] === "match" && rest[1] === "query" && rest[2] !== undefined) field = `cond.${b.query[Number(rest[2])]}`;
    else if (rest[0] === "match" && rest[1] === "headers" && rest[2] !== undefined) field = `cond.${b.headers[Number(rest[2])]}`;
    else if (rest[0] === "match" && rest[1] === "body") field = `cond.${b.body}`;
    else if (rest[0] === "match") field = rest[1] ?? "match";
    else if (rest[0] === "answer") field = `answer.${rest[1] ?? ""}`;
    else if (rest[0] === "failure") field = `failure.${rest[1] === "key" ? "key" : (rest[1] ?? "")}`;
    else field = rest[0] ?? "form";
    out[`${form.rowKey}.${field}`] ??= issue.message;
  }
  return out;
}
