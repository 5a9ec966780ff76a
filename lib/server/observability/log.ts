// Structured logs: one JSON object per line on stdout (errors and warnings on stderr), so a log
// shipper (journald, Docker, Loki, CloudWatch) can parse them without rules. Every line has
// `time`, `level` and `msg`; the rest are ids, sizes and timings. Never bodies, header values,
// keys or secrets: callers pass only fields from the lists below.
import "server-only";

export type TLogLevel = "info" | "warn" | "error";

// A log destination that goes away (the process that started the server, or the pipe to a log
// collector: EPIPE) costs the lost lines and nothing else. Unheard, the stream's "error" is an
// uncaught exception, which Next's handler prints with console.error to the same dead stderr:
// another one, without end. Two orphaned servers were found spinning at ~70% CPU each for an hour.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});

export function logJson(level: TLogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + "\n";
  if (level === "info") process.stdout.write(line);
  else process.stderr.write(line);
}
