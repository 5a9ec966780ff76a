import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { captureFilterTerms, ZCaptureFilter } from "./params";
import {
  describeTerm,
  formatSearchQuery,
  globToLike,
  likeEscape,
  parseSearchQuery,
  parseSize,
  pgEscapeEncode,
  SearchQueryError,
  summaryCanDecide,
  summaryMatches,
  type TSummaryFields,
} from "./query";

const NOW = new Date("2026-11-29T12:00:00.000Z");
const parse = (q: string) => parseSearchQuery(q, NOW);
const fails = (q: string, message: RegExp) =>
  assert.throws(
    () => parse(q),
    (e: unknown) => e instanceof SearchQueryError && message.test(e.message),
  );

describe("parseSearchQuery", () => {
  test("each filter and free text, ANDed in order", () => {
    assert.deepEqual(
      parse(
        'method:post,Put path:/stripe/* header:"x-github-event:push" header:Stripe-Signature content:JSON type:invoice.* size:>10kb refund "two words"',
      ),
      [
        { kind: "method", raw: "method:post,Put", methods: ["POST", "PUT"] },
        { kind: "path", raw: "path:/stripe/*", pattern: "/stripe/*", glob: true },
        { kind: "header", raw: "header:x-github-event:push", name: "x-github-event", value: "push" },
        { kind: "header", raw: "header:Stripe-Signature", name: "stripe-signature", value: null },
        { kind: "content", raw: "content:JSON", type: "json" },
        { kind: "type", raw: "type:invoice.*", pattern: "invoice.*", glob: true },
        { kind: "size", raw: "size:>10kb", min: 10 * 1024 + 1, max: null },
        { kind: "text", raw: "refund", text: "refund" },
        { kind: "text", raw: '"two words"', text: "two words" },
      ],
    );
  });

  test("path: a prefix without wildcards, a leading / added", () => {
    assert.deepEqual(parse("path:stripe")[0], { kind: "path", raw: "path:stripe", pattern: "/stripe", glob: false });
    assert.equal((parse("path:/a?c")[0] as { glob: boolean }).glob, true);
  });

  test("sizes: comparisons, ranges, units", () => {
    const size = (q: string) => {
      const t = parse(q)[0]!;
      assert.equal(t.kind, "size");
      return [t.min, t.max];
    };
    assert.deepEqual(size("size:1kb..1mb"), [1024, 1024 * 1024]);
    assert.deepEqual(size("size:..2k"), [null, 2048]);
    assert.deepEqual(size("size:10kb.."), [10240, null]);
    assert.deepEqual(size("size:<=1mb"), [null, 1024 * 1024]);
    assert.deepEqual(size("size:<100"), [null, 99]);
    assert.deepEqual(size("size:>=0"), [0, null]);
    assert.deepEqual(size("size:512"), [512, 512]);
    assert.equal(parseSize("1.5mb"), 1572864);
    assert.equal(parseSize("ten"), null);
  });

  test("times: relative ages from now, ISO dates and date-times as UTC", () => {
    const at = (q: string) => (parse(q)[0] as { at: string }).at;
    assert.equal(at("after:1h"), "2026-11-29T11:00:00.000Z");
    assert.equal(at("after:30m"), "2026-11-29T11:30:00.000Z");
    assert.equal(at("before:2d"), "2026-11-27T12:00:00.000Z");
    assert.equal(at("after:1w"), "2026-11-22T12:00:00.000Z");
    assert.equal(at("after:2026-11-01"), "2026-11-01T00:00:00.000Z");
    assert.equal(at("before:2026-11-01T08:30"), "2026-11-01T08:30:00.000Z");
    assert.equal(at("before:2026-11-01T08:30:00+02:00"), "2026-11-01T06:30:00.000Z");
  });

  test("a quoted token is body text even with a colon; an empty query is no terms", () => {
    assert.deepEqual(parse('"id:42"'), [{ kind: "text", raw: '"id:42"', text: "id:42" }]);
    assert.deepEqual(parse("   "), []);
  });

  test("bad queries are refused with a sentence that says what is wrong", () => {
    fails("foo:bar", /Unknown filter "foo:".*method:, path:.*put it in quotes/);
    fails('header:"x-a', /Unclosed quote at character 8/);
    fails("method:", /method: needs a value, e\.g\. method:POST/);
    fails("method:PO@ST", /not a method list/);
    fails("size:big", /size:big is not a size: use size:>10kb/);
    fails("size:2mb..1mb", /is empty: the lower bound is above the upper one/);
    fails("size:<0", /matches nothing/);
    fails("after:yesterday", /after:yesterday is not a time: use a relative age \(30m, 1h, 2d, 1w\) or an ISO date/);
    fails("before:2026-13-45", /not a time/);
    fails('header:"bad name:x"', /"bad name" is not a header name/);
    fails("x ".repeat(600), /too long/);
    fails("a ".repeat(21), /Too many search terms/);
  });
});

describe("chips", () => {
  test("removing a term leaves the others as typed", () => {
    const terms = parse('method:POST   header:"x-github-event:push"  refund');
    assert.equal(formatSearchQuery(terms.filter((t) => t.kind !== "method")), "header:x-github-event:push refund");
    assert.deepEqual(parse(formatSearchQuery(terms)), terms, "the formatted query parses back to the same terms");
    assert.equal(formatSearchQuery(parse('"two words" path:"/a b"')), '"two words" path:"/a b"');
  });
  test("labels", () => {
    assert.deepEqual(describeTerm(parse("size:1kb..1mb")[0]!), { label: "size", value: "1 KiB–1 MiB" });
    assert.deepEqual(describeTerm(parse("path:/stripe")[0]!), { label: "path starts", value: "/stripe" });
    assert.deepEqual(describeTerm(parse("hello")[0]!), { label: "body", value: "hello" });
    assert.deepEqual(describeTerm(parse("type:push")[0]!), { label: "event", value: "push" });
    assert.deepEqual(describeTerm(parse("content:json")[0]!), { label: "content type", value: "json" });
  });
});

describe("summaryMatches (live filtering)", () => {
  const c: TSummaryFields = {
    method: "POST",
    path: "/stripe/events/1",
    size: 2048,
    contentType: "application/json; charset=utf-8",
    receivedAt: "2026-11-29T11:59:00.123456Z",
    eventType: "payment_intent.succeeded",
  };
  const m = (q: string) => summaryMatches(parse(q), c);
  test("decides method, path, event type, content type, size and time", () => {
    assert.ok(m("method:post path:/stripe/* content:json size:1kb..4kb after:5m type:payment_intent.succeeded"));
    assert.ok(m("type:payment_intent.*"));
    assert.ok(!m("type:payment_intent"));
    assert.ok(!m("type:invoice.*"));
    assert.ok(!summaryMatches(parse("type:*"), { ...c, eventType: null }), "a capture with no type matches no type: term");
    assert.ok(!m("content:xml"));
    assert.ok(m("path:/stripe/events"));
    assert.ok(!m("path:/github"));
    assert.ok(!m("path:/stripe/*/2"));
    assert.ok(m("path:/stripe/*/1"));
    assert.ok(!m("method:GET"));
    assert.ok(!m("size:>2kb"));
    assert.ok(!m("before:5m"));
    assert.ok(!m("after:30s"));
  });
  test("event: every delivery of one event key, exactly", () => {
    const withKey = { ...c, eventKey: "evt_1NqK" };
    assert.ok(summaryMatches(parse("event:evt_1NqK"), withKey));
    assert.ok(!summaryMatches(parse("event:evt_1nqk"), withKey), "case-sensitive");
    assert.ok(!summaryMatches(parse("event:evt_1"), withKey), "not a prefix");
    assert.ok(!summaryMatches(parse("event:evt_1NqK"), c), "a capture without a key");
    assert.deepEqual(parse("event:evt_1NqK"), [{ kind: "event", raw: "event:evt_1NqK", key: "evt_1NqK" }]);
    assert.deepEqual(describeTerm(parse("event:evt_1NqK")[0]!), { label: "deliveries of", value: "evt_1NqK" });
    assert.throws(() => parse(`event:${"x".repeat(201)}`), /at most 200 characters/);
  });
  test("header and body terms need the server", () => {
    assert.ok(summaryCanDecide(parse("method:POST size:>1")));
    assert.ok(!summaryCanDecide(parse("method:POST refund")));
    assert.ok(!summaryCanDecide(parse("header:x-a")));
    assert.ok(m("method:POST refund"), "passed for the server to decide");
  });
});

describe("SQL pattern helpers", () => {
  test("LIKE escaping and globs", () => {
    assert.equal(likeEscape("50%_a\\b"), "50\\%\\_a\\\\b");
    assert.equal(globToLike("/a_b/*/c?"), "/a\\_b/%/c_");
  });
  test("pgEscapeEncode writes UTF-8 bytes the way encode(…, 'escape') does", () => {
    assert.equal(pgEscapeEncode('{"a":1}'), '{"a":1}');
    assert.equal(pgEscapeEncode("é"), "\\303\\251");
    assert.equal(pgEscapeEncode("a\\b"), "a\\\\b");
  });
});

describe("query parameters", () => {
  test("q and per-filter parameters combine", () => {
    const terms = captureFilterTerms({ q: "method:POST", path: "/stripe/*", header: "x-github-event:push", text: "a b" }, NOW);
    assert.deepEqual(
      terms.map((t) => t.kind),
      ["method", "path", "header", "text"],
    );
  });
  test("a bad parameter is a validation issue with the parser's message", () => {
    const r = ZCaptureFilter.safeParse({ size: "huge" });
    assert.equal(r.success, false);
    assert.match(r.error!.issues[0]!.message, /size:huge is not a size/);
    assert.deepEqual(ZCaptureFilter.parse({}), []);
  });
});
