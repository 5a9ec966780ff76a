// Child process for test/embedded.test.ts: opens the embedded database under DATA_DIR the way
// server.ts does, creates one endpoint, reports it, then waits to be SIGKILLed so that its
// postmaster is left running without an owner.
import { openDatabase } from "@/lib/server/db/bootstrap";
import { closeDb } from "@/lib/server/db/client";
import { createEndpoint } from "@/lib/server/db/endpoints";

const db = await openDatabase();
const { endpoint } = await createEndpoint({ name: "made before the crash" });
await closeDb();
process.stdout.write(`${JSON.stringify({ endpointId: endpoint.id, port: db.embedded?.port ?? null })}\n`);
setInterval(() => {}, 1 << 30);
