export declare const SERVER_PROCESS_ENV: Record<string, string>;
export declare function serverEnv<T extends Record<string, string | undefined>>(env: T): T & Record<string, string>;
