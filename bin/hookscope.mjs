#!/usr/bin/env node
// The hookscope CLI entry (`npx hookscope …`). The commands are TypeScript in lib/cli, sharing
// the signing and sample-event code with the server; tsx (already a runtime dependency, used by
// `npm start`) loads them, so no build step is needed. Our own tsconfig.json (named by path) gives
// the `@/` imports, and keeps a tsconfig.json in the user's working directory from changing how
// they compile.
import { fileURLToPath } from "node:url";
import { tsImport } from "tsx/esm/api";

const tsconfig = fileURLToPath(new URL("../tsconfig.json", import.meta.url));
const { main } = await tsImport("../lib/cli/main.ts", { parentURL: import.meta.url, tsconfig });
process.exitCode = await main(process.argv.slice(2));
