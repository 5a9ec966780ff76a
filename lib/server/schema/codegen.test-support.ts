// Shared by the generated-code tests: infer a schema per type from examples, and compile files
// with the TypeScript compiler API in a folder under node_modules/.cache (removed after the file).
import fs from "node:fs";
import path from "node:path";
import { after } from "node:test";
import ts from "typescript";
import { emptySchemaState, mergeSample, renderSchema } from "@/lib/shared/schema/infer";

// Under node_modules (ignored by git, prettier and eslint) so "zod" resolves from the project.
fs.mkdirSync(path.resolve("node_modules/.cache"), { recursive: true });
export const dir = fs.mkdtempSync(path.resolve("node_modules/.cache/hookscope-codegen-test-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

export const inferAll = (byType: Map<string, Record<string, unknown>[]>) =>
  [...byType].map(([type, samples]) => {
    const state = emptySchemaState();
    for (const s of samples) mergeSample(state, s);
    return { type, schema: renderSchema(state, type) };
  });

export function compile(files: Record<string, string>): string[] {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const program = ts.createProgram(
    Object.keys(files).map((f) => path.join(dir, f)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true,
    },
  );
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n").slice(0, 300));
}
