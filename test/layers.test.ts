// The layer rules in eslint.config.mjs (ARCHITECTURE.md → Layers) catch what they are there to
// catch: each case lints one import as if written in a file of that folder, through ESLint's own
// API and the project's config, and expects the named rule to refuse it (or to let it pass).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ESLint } from "eslint";

// no-cycle needs the file on disk; the layer rules do not.
const eslint = new ESLint({ overrideConfig: { rules: { "import/no-cycle": "off" } } });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

const CASES: { file: string; code: string; refused: string | null }[] = [
  {
    file: "components/capture/x.tsx",
    code: 'import { getPool } from "@/lib/server/db/client";\nvoid getPool;\n',
    refused: "import/no-restricted-paths",
  },
  { file: "lib/browser/query/x.ts", code: 'import { env } from "@/lib/server/env";\nvoid env;\n', refused: "import/no-restricted-paths" },
  {
    file: "lib/shared/format/x.ts",
    code: 'import { getPool } from "@/lib/server/db/client";\nvoid getPool;\n',
    refused: "import/no-restricted-paths",
  },
  { file: "lib/cli/x.ts", code: 'import { env } from "@/lib/server/env";\nvoid env;\n', refused: "import/no-restricted-paths" },
  {
    file: "lib/server/db/x.ts",
    code: 'import { sendOutgoing } from "@/lib/server/delivery/outgoing";\nvoid sendOutgoing;\n',
    refused: "import/no-restricted-paths",
  },
  {
    file: "lib/server/http/x.ts",
    code: 'import type { Endpoint } from "@/lib/server/db/generated/client";\nexport type X = Endpoint;\n',
    refused: "no-restricted-imports",
  },
  {
    file: "lib/shared/format/x.ts",
    code: 'import { formatBytes } from "@/lib/shared/format/bytes";\nvoid formatBytes;\n',
    refused: "no-restricted-imports",
  },
  {
    file: "lib/shared/format/x.ts",
    code: 'import type { Endpoint } from "../../server/db/generated/client";\nexport type X = Endpoint;\n',
    refused: "no-restricted-imports",
  },
  { file: "lib/server/http/x.ts", code: 'import { getPool } from "@/lib/server/db/client";\nvoid getPool;\n', refused: null },
  {
    file: "components/capture/x.tsx",
    code: 'import { formatBytes } from "@/lib/shared/format/bytes";\nvoid formatBytes;\n',
    refused: null,
  },
];

for (const c of CASES) {
  test(`${c.file}: ${c.code.split("\n")[0]} is ${c.refused ? `refused by ${c.refused}` : "allowed"}`, async () => {
    const ids = await ruleIdsFor(c.file, c.code);
    if (c.refused) assert.ok(ids.includes(c.refused), `expected ${c.refused}, got ${JSON.stringify(ids)}`);
    else assert.deepEqual(ids, [], "no layer rule fires");
  });
}
