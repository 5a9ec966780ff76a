import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers (ARCHITECTURE.md "Layers"): who may import whom. A zone forbids `target` files to
// import anything under `from`. Tests sit beside their module and follow its layer.
const layer = (target, from, message) => ({ target, from, message });
const LAYERS = [
  layer(
    "./lib/shared",
    ["./lib/server", "./lib/browser", "./lib/cli", "./components", "./app"],
    "lib/shared runs everywhere: it may import only lib/shared.",
  ),
  layer("./lib/browser", ["./lib/server", "./lib/cli", "./app"], "lib/browser runs in the browser: lib/shared and lib/browser only."),
  layer(
    "./lib/cli",
    ["./lib/server", "./lib/browser", "./components", "./app"],
    "lib/cli runs in the user's terminal: lib/shared and lib/cli only.",
  ),
  layer("./lib/server", ["./lib/browser", "./lib/cli", "./components", "./app"], "lib/server never imports UI, browser or CLI code."),
  layer(
    "./components",
    ["./lib/server", "./lib/cli", "./app"],
    "components reach the server through the API (lib/browser), never lib/server.",
  ),
  layer(
    "./lib/server/db",
    ["./lib/server/!(db|env.ts|secrets|observability)/**", "./lib/server/observability/!(log.ts)"],
    "lib/server/db is the data layer: it imports lib/server/db, env.ts, secrets, observability/log.ts and lib/shared only.",
  ),
];

const PRISMA = { group: ["**/db/generated/**", "@prisma/client", "@prisma/client/*"], message: "Only lib/server/db imports Prisma." };
const RELATIVE_ONLY = {
  group: ["@/*"],
  message: "lib/shared and lib/cli use relative imports: the CLI runs where the @/ alias does not resolve.",
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    // NEXT_DIST_DIR builds of the benchmarks (.next-bench) are build output too.
    ".next-*/**",
    ".data/**",
    "lib/server/db/generated/**",
    "node_modules/**",
    "test-results/**",
    "playwright-report/**",
    "bench/results/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-restricted-paths": ["error", { zones: LAYERS }],
      "import/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    // Prisma's generated types stay in the data layer; everything else uses its own types.
    ignores: ["lib/server/db/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [PRISMA] }] },
  },
  {
    // The CLI runs through tsx from any directory, where tsconfig's "@/" alias does not resolve:
    // what it loads (lib/cli, and lib/shared which it imports) uses relative imports. This block
    // replaces the one above for these files, so it repeats the Prisma pattern.
    files: ["lib/shared/**", "lib/cli/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [RELATIVE_ONLY, PRISMA] }] },
  },
]);
