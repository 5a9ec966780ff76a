// The hookscope CLI as an npm package tarball, served by the instance at /cli/hookscope.tgz so
// `npx https://<instance>/cli/hookscope.tgz forward …` works on any machine with Node, no clone
// and no registry (the name "hookscope" on a registry is not ours). lib/cli and the lib/shared
// code it uses are bundled by esbuild (the compiler tsx already runs on) into one ES module with
// no dependencies; the package has the instance's own version. Built once per process, on the
// first request (about a second), then served from memory.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { tgz } from "./tar";

export interface CliPackage {
  tgz: Buffer;
  version: string;
  /** Strong validator for If-None-Match (npm revalidates a tarball URL it has cached). */
  etag: string;
}

// From the project root, the working directory of every server start: the server runs bundled
// (scripts/server-bundle.mjs), so this module's own URL is not where its source is.
const CLI_MAIN = path.resolve("lib/cli/main.ts");
const PROJECT_PACKAGE = path.resolve("package.json");
/** The mtime npm pack gives every entry, so the same source gives the same bytes. */
const NPM_PACK_MTIME = Date.UTC(1985, 9, 26, 8, 15) / 1000;

async function bundleCli(): Promise<Buffer> {
  const result = await build({
    stdin: {
      contents: `import { main } from ${JSON.stringify(CLI_MAIN)};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
      resolveDir: path.dirname(CLI_MAIN),
      sourcefile: "hookscope-cli.ts",
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  return Buffer.from(result.outputFiles[0]!.contents);
}

async function buildCliPackage(): Promise<CliPackage> {
  const project = JSON.parse(fs.readFileSync(PROJECT_PACKAGE, "utf8")) as {
    version: string;
    license?: string;
    engines?: Record<string, string>;
  };
  const manifest = {
    name: "hookscope",
    version: project.version,
    description:
      "The Hookscope CLI: forward captures to localhost, replay them against a handler with checks (JUnit for CI), send signed sample events. Served by a Hookscope instance.",
    license: project.license ?? "MIT",
    type: "module",
    bin: { hookscope: "cli.mjs" },
    engines: project.engines ?? { node: ">=20.16" },
  };
  const readme = `# hookscope CLI ${project.version}\n\nServed by a Hookscope instance. Run it with\n\n    npx https://<instance>/cli/hookscope.tgz --help\n\nNo dependencies beyond Node.js ${manifest.engines.node ?? ""}.\n`;
  const bytes = tgz(
    [
      { name: "package/package.json", body: Buffer.from(JSON.stringify(manifest, null, 2) + "\n"), mode: 0o644 },
      { name: "package/README.md", body: Buffer.from(readme), mode: 0o644 },
      { name: "package/cli.mjs", body: await bundleCli(), mode: 0o755 },
    ],
    NPM_PACK_MTIME,
  );
  return { tgz: bytes, version: project.version, etag: `"${crypto.createHash("sha256").update(bytes).digest("base64url").slice(0, 32)}"` };
}

let pending: Promise<CliPackage> | null = null;

/** The package, built on first use; a failed build is retried by the next request. */
export function cliPackage(): Promise<CliPackage> {
  pending ??= buildCliPackage().catch((e: unknown) => {
    pending = null;
    throw e;
  });
  return pending;
}
