// Typed access to the throwaway embedded PostgreSQL the tests use (scripts/test-postgres.mjs).
export interface TestPostgres {
  url: string;
  dataDir: string;
  port: number;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  // A computed specifier: the .mjs has no type declarations, this file supplies them.
  const mod = (await import(new URL("../../scripts/test-postgres.mjs", import.meta.url).href)) as {
    startTestPostgres(): Promise<TestPostgres>;
  };
  return mod.startTestPostgres();
}
