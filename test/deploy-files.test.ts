// The Dockerfile and compose.yaml cannot be built on the test machine, so this keeps them in
// sync with what can be checked: the container runs exactly `npm run serve`, and every setting
// they pass is one lib/server/env.ts knows (a renamed variable would otherwise be silently ignored).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { ZEnv } from "@/lib/server/env";
import { BACKEND, DEFAULTS, SERVER_OPTIONS } from "../scripts/balancer";
import { SERVER_BUNDLE } from "../scripts/server-bundle.mjs";
import { SERVER_PROCESS_ENV } from "../scripts/server-env.mjs";

const KNOWN = new Set(Object.keys(ZEnv.shape));
/** Read by node, Next or glibc rather than by lib/server/env.ts. */
const PLATFORM = new Set(["NODE_ENV", "NEXT_TELEMETRY_DISABLED", ...Object.keys(SERVER_PROCESS_ENV)]);

const dockerfile = fs.readFileSync("Dockerfile", "utf8");
const compose = fs.readFileSync("compose.yaml", "utf8");
const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

/** The `environment:` mapping of one compose service (keys only), commented-out lines excluded. */
function composeEnvKeys(service: string): string[] {
  const lines = compose.split("\n");
  const start = lines.findIndex((l) => l === `  ${service}:`);
  assert.ok(start >= 0, `service ${service} in compose.yaml`);
  const keys: string[] = [];
  let inEnv = false;
  for (const l of lines.slice(start + 1)) {
    if (/^ {0,2}\S/.test(l)) break; // next service or top-level key
    if (/^ {4}\S/.test(l)) {
      inEnv = l.trim() === "environment:";
      continue;
    }
    const m = /^ {6}([A-Z_][A-Z0-9_]*):/.exec(l);
    if (inEnv && m) keys.push(m[1]!);
  }
  return keys;
}

test("the image runs exactly `npm run serve`", () => {
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
  assert.ok(cmd, "a JSON-form CMD (so node is PID 1 and receives SIGTERM)");
  const argv = JSON.parse(cmd[1]!) as string[];
  assert.equal(argv.join(" "), pkg.scripts.serve);
  assert.match(dockerfile, /^USER node$/m, "runs as a non-root user");
  assert.match(dockerfile, /FROM \$\{NODE_IMAGE\} AS build[\s\S]*FROM \$\{NODE_IMAGE\} AS runtime/, "multi-stage");
  assert.match(
    dockerfile,
    /node_modules\/next\/dist\/bin\/next build \\\n && node scripts\/server-bundle.mjs/,
    "builds like `npm run build`",
  );
  assert.equal(pkg.scripts.build, "next build && node scripts/server-bundle.mjs");
  assert.equal(pkg.scripts.serve, `node ${SERVER_BUNDLE}`, "serves the server bundle");
});

test("`node scripts/server-bundle.mjs` builds the server bundle: packages from dependencies, no tsx, no renamed closures", () => {
  const started = Date.now();
  // Through a symlink to the project: node gives the main module its real path, not the one typed.
  const link = path.join(os.tmpdir(), `hookscope-link-${process.pid}`);
  fs.symlinkSync(process.cwd(), link);
  let r;
  try {
    r = spawnSync(process.execPath, [path.join(link, "scripts/server-bundle.mjs")], { encoding: "utf8" });
  } finally {
    fs.unlinkSync(link);
  }
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Built /);
  // Written by this run (a whole second of slack for coarse file times), not left from an earlier one.
  assert.ok(fs.statSync(SERVER_BUNDLE).mtimeMs >= started - 1000, `${SERVER_BUNDLE} rebuilt`);
  const code = fs.readFileSync(SERVER_BUNDLE, "utf8");
  // tsx's keepNames renamed every closure a capture creates (docs/benchmarks.md): esbuild's
  // helper for it is absent from the bundle.
  assert.doesNotMatch(code, /__name\(/);
  // The bundle's own module URL is not where the source is: paths resolve from the project root.
  assert.doesNotMatch(code, /new URL\(["']\.\.?\//);
  // Every package it loads at run time is a dependency, so it survives the image's
  // `npm prune --omit=dev`; server-only is an empty module in it, tsx is not loaded.
  const specifiers = [...code.matchAll(/^import (?:[^"']+ from )?"([^"]+)";$/gm), ...code.matchAll(/\bimport\("([^"]+)"\)/g)];
  const packages = new Set(
    specifiers
      .map((m) => m[1]!)
      .filter((s) => !s.startsWith("node:"))
      .map((s) =>
        s
          .split("/")
          .slice(0, s.startsWith("@") ? 2 : 1)
          .join("/"),
      ),
  );
  for (const name of ["pg", "next", "@prisma/adapter-pg"]) assert.ok(packages.has(name), `${name} stays external`);
  for (const name of packages) assert.ok(name in pkg.dependencies, `${name} is in dependencies`);
  assert.ok(!packages.has("tsx") && !packages.has("server-only"));
});

test("importing scripts/server-bundle.mjs builds nothing, even when argv[1] names no file", () => {
  const url = pathToFileURL(path.resolve("scripts/server-bundle.mjs")).href;
  const r = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(url)}); console.log(typeof m.buildServerBundle)`,
      "no-such-file",
    ],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "function\n");
});

test("every setting the Dockerfile and compose.yaml pass is one lib/server/env.ts reads", () => {
  const fromDockerfile = [...dockerfile.matchAll(/^\s*(?:ENV\s+)?([A-Z_][A-Z0-9_]*)=\S+(?: \\)?$/gm)].map((m) => m[1]!);
  assert.ok(fromDockerfile.includes("HOST") && fromDockerfile.includes("PORT"), `Dockerfile ENV: ${fromDockerfile.join(", ")}`);
  const app = composeEnvKeys("app");
  for (const required of ["DATABASE_URL", "PUBLIC_BASE_URL", "HOST", "SECRETS_KEY"]) assert.ok(app.includes(required), required);
  for (const key of [...fromDockerfile, ...app]) {
    assert.ok(KNOWN.has(key) || PLATFORM.has(key), `${key} is not a setting in lib/server/env.ts`);
  }
});

test("the image starts its server with the process settings every other start uses (scripts/server-env.mjs)", () => {
  for (const [key, value] of Object.entries(SERVER_PROCESS_ENV))
    assert.match(dockerfile, new RegExp(`^\\s*${key}=${value}(?: \\\\)?$`, "m"), key);
});

test("compose runs PostgreSQL 18 with its data volume where 18 keeps it", () => {
  assert.match(compose, /^ {4}image: postgres:18$/m);
  assert.match(compose, /- pgdata:\/var\/lib\/postgresql$/m);
  assert.deepEqual(composeEnvKeys("db").sort(), ["POSTGRES_DB", "POSTGRES_PASSWORD", "POSTGRES_USER"]);
  const url = /DATABASE_URL: postgresql:\/\/hookscope:[^@]+@db:5432\/hookscope$/m;
  assert.match(compose, url, "the app's DATABASE_URL points at the db service with its user and database");
});

test(".dockerignore keeps local state and builds out of the image", () => {
  const ignored = new Set(
    fs
      .readFileSync(".dockerignore", "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("#")),
  );
  for (const p of ["node_modules", ".next", ".data", "lib/server/db/generated", ".env*", ".git"]) assert.ok(ignored.has(p), p);
});

test("compose runs the app replicas behind HAProxy with the settings `npm run start:cluster` uses", () => {
  const cfg = fs.readFileSync("deploy/haproxy.cfg", "utf8").split("\n");
  const block = (name: string) => {
    const start = cfg.findIndex((l) => l === name);
    assert.ok(start >= 0, `${name} in deploy/haproxy.cfg`);
    const end = cfg.findIndex((l, i) => i > start && !l.startsWith("  "));
    return cfg.slice(start, end === -1 ? undefined : end);
  };
  assert.deepEqual(block("defaults"), DEFAULTS, "the same defaults as scripts/balancer.ts");
  const backend = block("backend replicas");
  assert.deepEqual(backend.slice(1, 1 + BACKEND.length), BACKEND, "the same balancing and health check");
  assert.ok(
    backend.some((l) => l.startsWith("  default-server ") && l.endsWith(` ${SERVER_OPTIONS}`)),
    "replicas reached and checked with the PROXY v2 header",
  );
  const template = /^ {2}server-template app (\d+) app:3000 resolvers docker init-addr none$/m.exec(cfg.join("\n"));
  assert.ok(template, "replicas found by the app service's name");
  assert.match(block("frontend hookscope").join("\n"), /^ {2}bind :3000$/m);

  // The app: N replicas, PROXY_PROTOCOL=1, reachable only through lb.
  const app = serviceBlock("app");
  assert.match(app, /^ {4}deploy:\n {6}# .*\n {6}replicas: \$\{REPLICAS:-(\d+)\}$/m);
  assert.match(app, /^ {6}PROXY_PROTOCOL: "1"$/m);
  assert.doesNotMatch(app, /^ {4}ports:/m, "the app's port is not published: only lb reaches it");
  const lb = serviceBlock("lb");
  assert.match(lb, /^ {4}image: haproxy:\S+$/m);
  assert.match(lb, /- \.\/deploy\/haproxy\.cfg:\/usr\/local\/etc\/haproxy\/haproxy\.cfg:ro$/m);
  assert.match(lb, /^ {6}- "127\.0\.0\.1:3000:3000"$/m);
  assert.ok(Number(/replicas: \$\{REPLICAS:-(\d+)\}/.exec(app)![1]) <= Number(template[1]));
});

/** One compose service's lines, as text. */
function serviceBlock(service: string): string {
  const lines = compose.split("\n");
  const start = lines.findIndex((l) => l === `  ${service}:`);
  assert.ok(start >= 0, `service ${service} in compose.yaml`);
  const end = lines.findIndex((l, i) => i > start && /^ {0,2}\S/.test(l));
  return lines.slice(start, end === -1 ? undefined : end).join("\n");
}
