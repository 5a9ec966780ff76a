// Prisma CLI settings. The app does not use the CLI at run time: migrations are applied by
// lib/server/db/migrate.ts; `prisma migrate deploy` agrees with it on a machine that can run the CLI.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/hookscope" },
});
