/**
 * Everything the CLI touches outside itself, passed in rather than read from globals, so tests run
 * commands in-process and see exactly what a person would see on each stream.
 */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
  readonly now: () => number;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdoutIsTty: process.stdout.isTTY,
    stderrIsTty: process.stderr.isTTY,
    now: Date.now,
  };
}

/** Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org). */
export function colourAllowed(io: CliIo): boolean {
  return io.stdoutIsTty && (io.env.NO_COLOR ?? '') === '';
}
