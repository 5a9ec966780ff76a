// The CLI's version: the package's, so the tarball an instance serves (lib/server/cli-package)
// and a clone's `npx hookscope` say which Hookscope they came from.
import pkg from "../../package.json" with { type: "json" };

export const CLI_VERSION: string = pkg.version;
