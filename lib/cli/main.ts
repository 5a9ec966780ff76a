// The hookscope CLI: dispatches `hookscope <command> …` to a command. bin/hookscope.mjs loads
// this file through tsx (no build step, with the project's tsconfig.json for `@/` imports), so
// nothing it imports may be server-only.
import { forward } from "./forward";
import { replay } from "./replay";
import { send } from "./send";
import { escapeHidden } from "../shared/format/invisible";
import type { CliCommand, CliIo } from "./types";
import { CLI_VERSION } from "./version";

/** Every command. */
export const COMMANDS: CliCommand[] = [send, forward, replay];

export function mainHelp(): string {
  return `Usage: hookscope <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join("\n")}

Run \`hookscope <command> --help\` for a command's options; \`hookscope --version\` prints ${CLI_VERSION}.
`;
}

type TOutStream = { isTTY?: boolean; write(text: string): unknown };

/**
 * Lines to a terminal show control, bidi and zero-width characters as escapes (\u001B): what the
 * CLI prints holds captured paths, event types and a target's answers, and an ESC or C1 sequence
 * from them would act on the terminal (clear it, retitle it, set the clipboard). Piped output is
 * data and goes out as it is. The progress line (tty.write) is ours alone.
 */
export function streamIo(stdout: TOutStream, stderr: TOutStream): CliIo {
  const line = (s: TOutStream) => (text: string) => void s.write(`${s.isTTY ? escapeHidden(text, true) : text}\n`);
  return {
    out: line(stdout),
    err: line(stderr),
    tty: stdout.isTTY ? { write: (text) => void stdout.write(text) } : undefined,
  };
}

const stdio = streamIo(process.stdout, process.stderr);

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.out(topic ? topic.help : mainHelp());
    return 0;
  }
  if (name === "--version" || name === "-v") {
    io.out(CLI_VERSION);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${mainHelp()}`);
    return 2;
  }
  return command.run(rest, io);
}
