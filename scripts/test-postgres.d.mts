// Types for test-postgres.mjs, so e2e/global-setup.ts can import it under strict TypeScript.
export interface TestPostgres {
  url: string;
  dataDir: string;
  port: number;
  stop(): Promise<void>;
}
export declare function startTestPostgres(): Promise<TestPostgres>;
