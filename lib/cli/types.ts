// A CLI subcommand: `hookscope <name> …`. Add one by writing a CliCommand and listing it in main.ts.

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Present when stdout is a terminal: raw writes for a progress line redrawn in place. */
  tty?: { write(text: string): void };
}

export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  help: string;
  /** Exit code: 0 success, 1 the action failed, 2 usage error. */
  run(argv: string[], io: CliIo): Promise<number>;
}
