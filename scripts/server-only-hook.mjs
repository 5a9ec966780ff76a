// Lets server code that says `import "server-only"` run outside Next's bundler
// (server.ts under tsx, scripts, node:test). Next still enforces the guard in its build.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export{}", shortCircuit: true };
  return next(specifier, context);
}`),
  import.meta.url,
);
