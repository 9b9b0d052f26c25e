/** Test helper: run `infomorph ARGS…` in-process with captured stdout and stderr. */

import type { Io, OutStream } from "../src/cli/output.js";
import { run } from "../src/main.js";

/** A stream that keeps what is written. */
export function capture(): OutStream & { text: string } {
  return {
    text: "",
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

/** Run the CLI with the given environment; returns the exit code and the captured output. */
export async function cliWithEnv(env: NodeJS.ProcessEnv, ...argv: string[]) {
  const io = { stdout: capture(), stderr: capture(), env } satisfies Io;
  const code = await run(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

/** Run the CLI with an empty environment. */
export function cli(...argv: string[]) {
  return cliWithEnv({}, ...argv);
}
