// `npm run db:migrate`: the start-up migrator on its own (embedded database when DATABASE_URL is unset).
import { openDatabase } from "@/lib/db/bootstrap";

const db = await openDatabase();
console.log(db.applied.length ? `Applied: ${db.applied.join(", ")}` : "Database is up to date.");
await db.embedded?.stop();
