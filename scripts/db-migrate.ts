// `npm run db:migrate`: the start-up migrator on its own (embedded database when DATABASE_URL is unset).
// A refusal (an edited or failed migration, bad settings) prints its message alone and exits 1.
import { openDatabase } from "@/lib/server/db/bootstrap";

try {
  const db = await openDatabase();
  console.log(db.applied.length ? `Applied: ${db.applied.join(", ")}` : "Database is up to date.");
  await db.embedded?.stop();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
