// A smooth open-loop flood, run as its own process so the load generator never shares an event
// loop (and so CPU scheduling) with the client whose latency a benchmark measures. Sends POSTs to
// a URL at a steady rate (spread over each second, not in bursts at its start) over a pool of
// keep-alive connections, counts answers by status, and prints the counts as one JSON line when
// it gets SIGTERM.
//
//   node --import tsx bench/support/flood.ts <url> <requests per second> <connections> [header:value]…
import http from "node:http";

const [url, rateArg, connArg, ...headerArgs] = process.argv.slice(2);
if (!url || !rateArg || !connArg) throw new Error("usage: flood.ts <url> <rate> <connections> [header:value]…");
const rate = Number(rateArg);
const target = new URL(url);
const headers: Record<string, string> = { "content-type": "application/json" };
for (const h of headerArgs) {
  const i = h.indexOf(":");
  headers[h.slice(0, i)] = h.slice(i + 1);
}
const body = '{"spam":true}';
headers["content-length"] = String(Buffer.byteLength(body));
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connArg) });
const statuses: Record<string, number> = {};
let inFlight = 0;
let dropped = 0;
const started = performance.now();
let sent = 0;

function one(): void {
  // Never more in flight than connections: past that the server is the bottleneck, and queueing
  // more in this process would only measure the queue.
  if (inFlight >= Number(connArg)) {
    dropped++;
    return;
  }
  inFlight++;
  sent++;
  const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers }, (res) => {
    res.resume();
    res.on("end", () => {
      inFlight--;
      const k = String(res.statusCode);
      statuses[k] = (statuses[k] ?? 0) + 1;
    });
  });
  req.on("error", () => {
    inFlight--;
    statuses.error = (statuses.error ?? 0) + 1;
  });
  req.end(body);
}

// Every millisecond, send what the schedule says is due by now.
const timer = setInterval(() => {
  const due = Math.floor(((performance.now() - started) / 1000) * rate);
  while (sent + dropped < due) one();
}, 1);

process.on("SIGTERM", () => {
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, sent, notSent: dropped, statuses })}\n`);
  process.exit(0);
});
