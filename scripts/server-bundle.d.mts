/** Where scripts/server-bundle.mjs writes the production server. */
export const SERVER_BUNDLE: string;
/** Bundles `entry` (default server.ts) into `outfile` (default SERVER_BUNDLE); resolves with its path. */
export function buildServerBundle(outfile?: string, entry?: string): Promise<string>;
