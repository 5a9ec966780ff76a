// Whether a module is the script node was started with, for scripts that can also be imported.
import fs from "node:fs";
import { pathToFileURL } from "node:url";

/**
 * True when `moduleUrl` (the caller's import.meta.url) is node's main script. Node gives the main
 * module its real path, with symlinks resolved and characters such as spaces URL-encoded, while
 * argv[1] is the path as given: compare like with like. False when argv[1] names no file (`node -e`,
 * a script from stdin, a tsx entry given without its extension).
 */
export function isMainModule(moduleUrl) {
  const given = process.argv[1];
  if (!given) return false;
  try {
    return moduleUrl === pathToFileURL(fs.realpathSync(given)).href;
  } catch {
    return false;
  }
}
