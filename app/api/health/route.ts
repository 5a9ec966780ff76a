// GET /api/health - liveness plus database reachability (503 when the database is down); the
// report itself is lib/server/http/health.ts.
import { healthReport } from "@/lib/server/http/health";
import { json } from "@/lib/server/http/respond";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

export async function GET(): Promise<Response> {
  const report = await healthReport();
  return json(report.body, { status: report.status, headers: report.headers });
}

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
