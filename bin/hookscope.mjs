#!/usr/bin/env node
// The hookscope CLI entry (`npx hookscope …`). The commands are TypeScript in lib/cli, sharing
// the signing and sample-event code with the server; tsx (already a runtime dependency, used by
// `npm start`) loads them, so no build step is needed. tsconfig: false keeps a tsconfig.json in
// the user's working directory from changing how they compile.
import { tsImport } from "tsx/esm/api";

const { main } = await tsImport("../lib/cli/main.ts", { parentURL: import.meta.url, tsconfig: false });
process.exitCode = await main(process.argv.slice(2));
