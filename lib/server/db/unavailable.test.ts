import assert from "node:assert/strict";
import net from "node:net";
import { describe, test } from "node:test";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";
import { AppError } from "@/lib/shared/errors/app-error";
import { isDatabaseUnavailable } from "./unavailable";

function withCode(code: string, message = "x"): Error {
  return Object.assign(new Error(message), { code });
}

/** A localhost port nothing listens on: connecting is refused at once, no database needed. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe("isDatabaseUnavailable", () => {
  test("socket errors mean unavailable", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]) {
      assert.equal(isDatabaseUnavailable(withCode(code)), true, code);
    }
  });

  test("Postgres connection, shutdown and too-many-connections SQLSTATEs mean unavailable", () => {
    for (const code of ["08000", "08006", "08001", "57P01", "57P02", "57P03", "53300"]) {
      assert.equal(isDatabaseUnavailable(withCode(code)), true, code);
    }
  });

  test("query errors do not: they are bugs or bad input, not outages", () => {
    for (const code of ["23505", "42P01", "42703", "22P02", "40001", "P2002", "P2025", "NOT_FOUND"]) {
      assert.equal(isDatabaseUnavailable(withCode(code)), false, code);
    }
    assert.equal(isDatabaseUnavailable(new Error("Cannot read properties of undefined")), false);
    assert.equal(isDatabaseUnavailable(new AppError("NOT_FOUND", "gone")), false);
  });

  test("non-errors are not", () => {
    assert.equal(isDatabaseUnavailable(undefined), false);
    assert.equal(isDatabaseUnavailable(null), false);
    assert.equal(isDatabaseUnavailable("ECONNREFUSED"), false);
    assert.equal(isDatabaseUnavailable({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }), false);
  });

  test("pg and pool messages without a code are recognised", () => {
    for (const message of [
      "Connection terminated unexpectedly",
      "Connection terminated due to connection timeout",
      "timeout exceeded when trying to connect",
      "terminating connection due to administrator command",
      "the database system is shutting down",
      "the database system is starting up",
      "Client has encountered a connection error and is not queryable",
    ]) {
      assert.equal(isDatabaseUnavailable(new Error(message)), true, message);
    }
  });

  test("Prisma codes and driver-adapter details are recognised", () => {
    for (const code of ["P1001", "P1017", "P2024"]) assert.equal(isDatabaseUnavailable(withCode(code)), true, code);
    const raw = (cause: unknown) =>
      Object.assign(withCode("P2010", "Raw query failed."), { meta: { driverAdapterError: { name: "DriverAdapterError", cause } } });
    assert.equal(isDatabaseUnavailable(raw({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 })), true);
    assert.equal(isDatabaseUnavailable(raw({ kind: "ConnectionClosed" })), true);
    assert.equal(isDatabaseUnavailable(raw({ kind: "SocketTimeout" })), true);
    assert.equal(isDatabaseUnavailable(raw({ kind: "TooManyConnections", cause: "sorry" })), true);
    assert.equal(isDatabaseUnavailable(raw({ kind: "postgres", code: "57P01", message: "terminating" })), true);
    assert.equal(isDatabaseUnavailable(raw({ kind: "postgres", code: "42601", message: "syntax error" })), false);
    assert.equal(isDatabaseUnavailable(raw({ kind: "UniqueConstraintViolation", originalCode: "23505" })), false);
  });

  test("a wrapped cause is followed", () => {
    assert.equal(isDatabaseUnavailable(new Error("request failed", { cause: withCode("ECONNREFUSED") })), true);
    assert.equal(isDatabaseUnavailable(new Error("request failed", { cause: { kind: "DatabaseNotReachable" } })), true);
    assert.equal(isDatabaseUnavailable(new Error("request failed", { cause: withCode("23505") })), false);
  });

  test("a real refused connection, through pg and through every kind of Prisma query", async () => {
    const url = `postgresql://nobody:nothing@127.0.0.1:${await closedPort()}/none`;
    const client = new pg.Client({ connectionString: url });
    const pgError = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(pgError, "connecting to a closed port fails");
    assert.equal(isDatabaseUnavailable(pgError), true);

    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5_000 });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    try {
      const attempts: [string, () => Promise<unknown>][] = [
        ["model query", () => prisma.endpoint.findUnique({ where: { id: "0190d6f4-0000-7000-8000-000000000000" } })],
        ["$queryRaw", () => prisma.$queryRaw`SELECT 1`],
        ["interactive transaction", () => prisma.$transaction(async (tx) => tx.endpoint.count())],
      ];
      for (const [what, run] of attempts) {
        const error = await run().then(
          () => null,
          (e: unknown) => e,
        );
        assert.ok(error, `${what} fails`);
        assert.equal(isDatabaseUnavailable(error), true, `${what}: ${String(error)}`);
      }
    } finally {
      await prisma.$disconnect().catch(() => {});
      await pool.end().catch(() => {});
    }
  });
});
