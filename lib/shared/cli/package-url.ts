// Where an instance serves its CLI (lib/server/http/cli-package-route.ts), and the command a
// person copies to run it: `npx <origin>/cli/hookscope.tgz <args>`, which works on any machine
// with Node, unlike `npx hookscope` (that registry name is not ours).
export const CLI_PACKAGE_PATH = "/cli/hookscope.tgz";

/** The npx command for `args`, run from the instance at `origin` (e.g. https://hooks.example.com). */
export function npxCommand(origin: string, args: string): string {
  return `npx ${origin.replace(/\/+$/, "")}${CLI_PACKAGE_PATH} ${args}`;
}
