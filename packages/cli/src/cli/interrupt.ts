/** Ctrl-C for long commands: the first asks the work to stop at its next safe point, a second one exits at once. */

import type { Io } from "./output.js";

/**
 * Exit code after Ctrl-C: 128 + SIGINT, as shells report it. A command resolves to it;
 * main.ts turns a number resolved by a command into the exit code.
 */
export const EXIT_INTERRUPTED = 130;

/** A SIGINT watch: `requested` turns true at the first Ctrl-C; dispose() stops watching. */
export interface InterruptWatch {
  readonly requested: boolean;
  dispose(): void;
}

/**
 * Watch for Ctrl-C while a command works. The first one prints "stopping after <safePoint>
 * (Ctrl-C again to quit at once)…" and sets `requested`; the work checks it at safe points.
 * A second one prints "interrupted again; exiting without waiting for <safePoint>." and exits
 * with EXIT_INTERRUPTED.
 *
 * @example const stop = watchInterrupt(io, "this batch"); … if (stop.requested) …; stop.dispose();
 */
export function watchInterrupt(io: Pick<Io, "stderr">, safePoint: string): InterruptWatch {
  let requested = false;
  const onSigint = (): void => {
    if (requested) {
      io.stderr.write(`\ninterrupted again; exiting without waiting for ${safePoint}.\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    requested = true;
    io.stderr.write(`\nstopping after ${safePoint} (Ctrl-C again to quit at once)…\n`);
  };
  process.on("SIGINT", onSigint);
  return {
    get requested() {
      return requested;
    },
    dispose: () => {
      process.off("SIGINT", onSigint);
    },
  };
}
