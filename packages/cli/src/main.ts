#!/usr/bin/env node
import { createRequire } from "node:module";
import { InfomorphError } from "@infomorph/core";
import { isEntryPoint } from "./cli/entry-point.js";
import { helpText, parseFlags } from "./cli/flags.js";
import { EXIT, type Io, fail, processIo } from "./cli/output.js";
import { commands } from "./commands/index.js";

/** The CLI package's version, from its package.json. */
export function version(): string {
  const require = createRequire(import.meta.url);
  return (require("../package.json") as { version: string }).version;
}

/** `infomorph --help`: every command with its summary. */
export function mainHelp(): string {
  const names = Object.keys(commands);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return [
    "infomorph: train infomorphic neural networks, compute PIDs, inspect datasets.",
    "",
    "Usage: infomorph <command> [flags]",
    "",
    "Commands:",
    ...names.map((name) => `  ${name.padEnd(width)}${commands[name].summary}`),
    "",
    "Flags:",
    "  -h, --help  show this help",
    "  --version   print the version",
    "",
    "Run `infomorph <command> --help` for a command's flags.",
    "",
    "Example:",
    `  ${Object.values(commands)[0].example}`,
    "",
  ].join("\n");
}

/**
 * Run the CLI on `argv` (the words after `infomorph`) and return the exit code:
 * 0 success, 1 failure or bad input, 2 bad usage.
 */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const verbose = argv.includes("--verbose");
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  try {
    // A two-word command ("search report") is looked up before the one-word command it extends.
    const pair = rest.length > 0 ? `${name} ${rest[0]}` : "";
    if (Object.hasOwn(commands, pair)) rest.shift();
    const key = Object.hasOwn(commands, pair) ? pair : name;
    const command = Object.hasOwn(commands, key) ? commands[key] : undefined;
    if (!command) {
      throw new InfomorphError({
        code: "usage/unknown-command",
        path: [name],
        message: `unknown command '${name}'. Commands: ${Object.keys(commands).join(", ")}. See: infomorph --help.`,
      });
    }
    const args = parseFlags(command, rest);
    if (args.flags.help) {
      io.stdout.write(helpText(command));
      return EXIT.ok;
    }
    const code = await command.run(args, io);
    return typeof code === "number" ? code : EXIT.ok;
  } catch (err) {
    return fail(err, io, verbose);
  }
}

if (isEntryPoint(import.meta.url)) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
