/** Where output goes: results to stdout, progress and errors to stderr, a progress bar only on a terminal, and exit codes. */

import { InfomorphError } from "@infomorph/core";

/** A stream the CLI writes to: process.stdout/stderr, or a capture in tests. */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The command's connection to the outside world, passed in so that tests can capture it. */
export interface Io {
  /** Results only; with --json, only JSON. */
  stdout: OutStream;
  /** Progress, logs and errors. */
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
}

/** The real process streams and environment. */
export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Exit codes: success, failure or bad input, bad usage. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export interface ProgressBar {
  /** Advance by `n` (default 1). */
  tick(n?: number): void;
  /** Jump to an absolute position. */
  update(done: number): void;
  /** Finish the line. */
  done(): void;
}

const BAR_WIDTH = 30;

/**
 * A progress indicator on `stream` (stderr). On a terminal: one line redrawn in place,
 * `label [#######-------] 45% 450/1000`. Otherwise: a plain line at every 10 %, so logs
 * stay short and readable.
 */
export function progressBar(
  total: number,
  label: string,
  stream: OutStream = process.stderr,
): ProgressBar {
  let current = 0;
  let shown = -1;
  const draw = (): void => {
    const fraction = total > 0 ? Math.min(1, current / total) : 1;
    const percent = Math.floor(fraction * 100);
    if (stream.isTTY) {
      if (percent === shown) return;
      const filled = Math.round(fraction * BAR_WIDTH);
      const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
      stream.write(`\r${label} [${bar}] ${String(percent).padStart(3)}% ${current}/${total}`);
      shown = percent;
    } else {
      const step = Math.floor(percent / 10) * 10;
      if (step === shown) return;
      stream.write(`${label}: ${step}% (${current}/${total})\n`);
      shown = step;
    }
  };
  draw();
  return {
    tick(n = 1) {
      current += n;
      draw();
    },
    update(done) {
      current = done;
      draw();
    },
    done() {
      current = Math.max(current, total);
      draw();
      if (stream.isTTY) stream.write("\n");
    },
  };
}

/**
 * Report an error on stderr as `error: <message>` and return the exit code:
 * 2 for bad usage (codes "usage/…"), 1 for everything else. The stack is shown only
 * with --verbose; an unexpected (non-InfomorphError) failure says how to get it.
 */
export function fail(err: unknown, io: Io, verbose = false): number {
  const error = err instanceof Error ? err : new Error(String(err));
  io.stderr.write(`error: ${error.message}\n`);
  if (verbose && error.stack) {
    io.stderr.write(`${error.stack}\n`);
  } else if (!(error instanceof InfomorphError)) {
    io.stderr.write("(rerun with --verbose for the stack trace)\n");
  }
  return error instanceof InfomorphError && error.code.startsWith("usage/")
    ? EXIT.usage
    : EXIT.failure;
}
