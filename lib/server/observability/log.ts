// Structured logs: one JSON object per line on stdout (errors and warnings on stderr), so a log
// shipper (journald, Docker, Loki, CloudWatch) can parse them without rules. Every line has
// `time`, `level` and `msg`; the rest are ids, sizes and timings. Never bodies, header values,
// keys or secrets: callers pass only fields from the lists below.
import "server-only";

export type TLogLevel = "info" | "warn" | "error";

export function logJson(level: TLogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + "\n";
  if (level === "info") process.stdout.write(line);
  else process.stderr.write(line);
}
