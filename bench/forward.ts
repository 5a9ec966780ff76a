// `npm run bench:forward`: does queuing captures for forwarding slow capture down? One endpoint
// without rules and one whose rule matches every capture, on the real server and a throwaway
// embedded PostgreSQL. The target holds every delivery for 2 s, so deliveries are in flight the
// whole time but the worker's own CPU (a few sends a second) stays out of the measurement: what is
// compared is capture with and without the outbox insert in its transaction. Back-to-back pairs
// of rounds, alternating which goes first (load elsewhere on the machine drifts slowly, so each
// pair compares like with like); the median ratio is reported against the target (>= 0.7). The
// behaviour (every capture queued, answered while its delivery is still held) is checked by
// `npm test` (test/forward.test.ts); this measures speed, which a shared machine cannot promise.
//
//   npm run bench:forward -- [--pairs 9] [--per-round 150] [--clients 8] [--json-out file]
import fs from "node:fs";
import http from "node:http";
import { parseArgs } from "node:util";
import { createEndpoint } from "../test/support/app";
import { startTarget } from "../test/support/target";
import { startStack, stopOnSignal, type Stack } from "./support/stack";

const { values: args } = parseArgs({
  options: {
    pairs: { type: "string", default: "9" },
    "per-round": { type: "string", default: "150" },
    clients: { type: "string", default: "8" },
    "json-out": { type: "string" },
  },
});
const PAIRS = Number(args.pairs);
const PER_ROUND = Number(args["per-round"]);
const CLIENTS = Number(args.clients);
const TARGET_RATIO = 0.7;

/** Captures per second for PER_ROUND captures from CLIENTS concurrent senders. */
async function round(captureUrl: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < PER_ROUND) {
        const n = next++;
        const r = await fetch(`${captureUrl}/b/${n}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: `{"n":${n}}`,
        });
        if (r.status !== 200) throw new Error(`capture answered ${r.status}`);
        await r.arrayBuffer();
      }
    }),
  );
  return PER_ROUND / ((performance.now() - started) / 1000);
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

let stack: Stack | undefined;
const removeSignals = stopOnSignal(() => stack);
const slow = await startTarget();
const held: http.ServerResponse[] = [];
slow.respond = (_r, res) => {
  held.push(res);
  setTimeout(() => res.end("ok"), 2000).unref();
};
try {
  stack = await startStack({ apps: 1, appEnv: { ALLOW_PRIVATE_TARGETS: "true", FORWARD_TIMEOUT_SECONDS: "30" } });
  const app = stack.apps[0]!;
  const plain = await createEndpoint(app.baseUrl);
  const fwd = await createEndpoint(app.baseUrl);
  const r = await fetch(`${app.baseUrl}/api/endpoints/${fwd.id}/forward-rules`, {
    method: "POST",
    headers: { authorization: `Bearer ${fwd.managementKey}`, "content-type": "application/json" },
    body: JSON.stringify({ targetUrl: slow.url }),
  });
  if (r.status !== 201) throw new Error(`forward rule: ${r.status} ${await r.text()}`);

  for (let i = 0; i < 2; i++) {
    await round(plain.captureUrl); // warm-up of both paths
    await round(fwd.captureUrl);
  }
  const ratios: number[] = [];
  const pairs: { without: number; withRule: number }[] = [];
  for (let i = 0; i < PAIRS; i++) {
    let without: number;
    let withRule: number;
    if (i % 2) {
      withRule = await round(fwd.captureUrl);
      without = await round(plain.captureUrl);
    } else {
      without = await round(plain.captureUrl);
      withRule = await round(fwd.captureUrl);
    }
    ratios.push(withRule / without);
    pairs.push({ without: Math.round(without), withRule: Math.round(withRule) });
  }
  const ratio = median(ratios);
  const met = ratio >= TARGET_RATIO;
  console.log(
    `capture/s without/with a rule matching every capture, per pair: ${pairs.map((p) => `${p.without}/${p.withRule}`).join(", ")}`,
  );
  console.log(`median ratio ${ratio.toFixed(2)} (target >= ${TARGET_RATIO}): ${met ? "met" : "MISSED"}`);
  const result = {
    startedAt: new Date().toISOString(),
    pairs,
    perRound: PER_ROUND,
    clients: CLIENTS,
    medianRatio: ratio,
    target: TARGET_RATIO,
    met,
  };
  fs.mkdirSync("bench/results", { recursive: true });
  fs.writeFileSync(`bench/results/forward-${result.startedAt.replace(/[:.]/g, "-")}.json`, JSON.stringify(result, null, 2) + "\n");
  if (args["json-out"]) fs.writeFileSync(args["json-out"], JSON.stringify(result, null, 2) + "\n");
} finally {
  for (const res of held) res.destroy();
  await slow.close();
  await stack?.stop();
  removeSignals();
}
