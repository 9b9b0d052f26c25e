/** What a command is: its flag table and help (CommandSpec) plus the function that runs it. */

import type { CommandSpec, FlagSpec, ParsedArgs } from "./flags.js";
import type { Io } from "./output.js";

/** A registered command, as main.ts sees it. */
export interface Command extends CommandSpec {
  /** Do the work with validated arguments; throw InfomorphError on bad input. */
  /** Resolves to an exit code, or nothing for success. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a command without a special exit code returns nothing
  run(args: ParsedArgs, io: Io): Promise<number | void>;
}

/**
 * Declare a command with its flag table inline; `run` receives flags typed from the table
 * (`args.flags.dataDir` is `string | undefined`, `args.flags.seed` is `number`).
 */
export function defineCommand<const F extends readonly FlagSpec[]>(
  command: CommandSpec<F> & {
    // biome-ignore lint/suspicious/noConfusingVoidType: a command without a special exit code returns nothing
    run(args: ParsedArgs<F>, io: Io): Promise<number | void>;
  },
): Command {
  return command as unknown as Command;
}
