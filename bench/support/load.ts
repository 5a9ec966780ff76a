// One autocannon run that stops gracefully: at the deadline every connection finishes the
// request it has in flight and sends no more, so every request sent is either answered and
// counted or failed. That makes "rows written == 2xx counted" an exact check.
import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  body: string;
  headers: Record<string, string>;
  /** Request paths taken in turn (each connection continues where the last request left off); default: the url's path. */
  paths?: string[];
}

export interface LoadResult {
  connections: number;
  /** Time under load, summed over the runs combined. */
  seconds: number;
  /** Every response counted. */
  responses: number;
  ok2xx: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number; mean: number };
}

/** One run's raw counts, and the latency of every 2xx (ms). */
export interface LoadPart {
  connections: number;
  seconds: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencies: Float64Array;
}

interface DrainableClient {
  reqsMade: number;
  responseMax?: number;
  on(event: "done", listener: () => void): unknown;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function rotatePaths(paths: string[]) {
  let next = 0;
  return (req: autocannon.Request): autocannon.Request => ({ ...req, path: paths[next++ % paths.length]! });
}

export async function runLoad(opts: LoadOptions): Promise<LoadPart> {
  const clients: DrainableClient[] = [];
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let ok2xx = 0;
  let non2xx = 0;
  let done = 0;
  let finishedAt = 0;
  let allDone: () => void = () => {};
  const drained = new Promise<void>((r) => (allDone = r));

  let finish: (r: autocannon.Result) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });

  const started = performance.now();
  const instance = autocannon(
    {
      url: opts.url,
      method: "POST",
      body: opts.body,
      headers: opts.headers,
      connections: opts.connections,
      pipelining: 1,
      // A backstop only: the graceful stop below ends the run.
      duration: opts.seconds + 30,
      timeout: 10,
      ...(opts.paths?.length ? { requests: [{ setupRequest: rotatePaths(opts.paths) }] } : {}),
      sampleInt: 250,
      setupClient: (client) => {
        const c = client as unknown as DrainableClient;
        clients.push(c);
        c.on("done", () => {
          if (++done === opts.connections) {
            finishedAt = performance.now();
            allDone();
          }
        });
      },
    },
    (err, result) => (err ? fail(err) : finish(result)),
  );
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) {
      ok2xx++;
      if (n === latencies.length) {
        const grown = new Float64Array(n * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[n++] = responseTime;
    } else {
      non2xx++;
    }
  });
  await new Promise((r) => setTimeout(r, opts.seconds * 1000));
  for (const c of clients) c.responseMax = Math.max(1, c.reqsMade);
  // A connection with nothing in flight (reconnecting) never drains by itself.
  const backstop = setTimeout(() => instance.stop(), 15_000);
  await Promise.race([drained, finished]);
  const result = await finished;
  clearTimeout(backstop);
  if (!finishedAt) finishedAt = performance.now();

  return {
    connections: opts.connections,
    seconds: (finishedAt - started) / 1000,
    ok2xx,
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencies: latencies.subarray(0, n),
  };
}

/** Several runs at one connection count as one: totals, and percentiles over every response. */
export function combineLoads(parts: LoadPart[]): LoadResult {
  const total = (f: (p: LoadPart) => number) => parts.reduce((sum, p) => sum + f(p), 0);
  const sorted = new Float64Array(total((p) => p.latencies.length));
  let at = 0;
  for (const p of parts) {
    sorted.set(p.latencies, at);
    at += p.latencies.length;
  }
  sorted.sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const n = sorted.length;
  const seconds = total((p) => p.seconds);
  const ok2xx = total((p) => p.ok2xx);
  return {
    connections: parts[0]?.connections ?? 0,
    seconds,
    responses: ok2xx + total((p) => p.non2xx),
    ok2xx,
    non2xx: total((p) => p.non2xx),
    errors: total((p) => p.errors),
    timeouts: total((p) => p.timeouts),
    rps: seconds > 0 ? ok2xx / seconds : 0,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      p999: percentile(sorted, 99.9),
      max: n ? sorted[n - 1]! : NaN,
      mean: n ? sum / n : NaN,
    },
  };
}
