// Types for find-chromium.mjs, so playwright.config.ts can import it under strict TypeScript.
export declare const HOW_TO_GET_CHROMIUM: string;
export declare function noChromiumMessage(): string;
export declare function findChromium(): string | null;
export declare function playwrightHasBrowser(): Promise<boolean>;
