import { InfomorphError } from "@infomorph/core";
import { describe, expect, it } from "vitest";
import { cli } from "../testing/cli.js";
import { defineCommand } from "./cli/command.js";
import { commands } from "./commands/index.js";
import { version } from "./main.js";

describe("infomorph", () => {
  it("--help lists every command and exits 0; no command prints it and exits 2", async () => {
    const help = await cli("--help");
    expect(help.code).toBe(0);
    for (const [name, command] of Object.entries(commands)) {
      expect(help.stdout).toContain(`${name}`);
      expect(help.stdout).toContain(command.summary);
    }
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.stdout).toBe(help.stdout);
  });

  it("--version prints the package version", async () => {
    expect(version()).toBe("0.1.0");
    expect(await cli("--version")).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "" });
  });

  it("rejects an unknown command with exit 2", async () => {
    expect(await cli("trian")).toEqual({
      code: 2,
      stdout: "",
      stderr: `error: unknown command 'trian'. Commands: ${Object.keys(commands).join(", ")}. See: infomorph --help.\n`,
    });
  });

  it("prints a command's --help from its flag table", async () => {
    const { code, stdout } = await cli("data", "--help");
    expect(code).toBe(0);
    for (const flag of commands.data.flags) expect(stdout).toContain(`--${flag.name}`);
    expect(stdout.endsWith("Example:\n  infomorph data --dataset embedded --seed 1\n")).toBe(true);
  });

  it("reports bad usage on stderr with exit 2 and nothing on stdout", async () => {
    expect(await cli("data", "--seed", "-3")).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: --seed must be an integer ≥ 0 (got -3). Try --seed 1.\n",
    });
    expect(await cli("data", "--foo")).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: unknown flag --foo for 'infomorph data'. See: infomorph data --help.\n",
    });
  });

  it("reports bad input with exit 1", async () => {
    const { code, stderr } = await cli("data", "--dataset", "cifar");
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: unknown dataset "cifar". Use embedded, mnist, fashion-mnist, cifar-10, csv:PATH or idx:DIR.\n',
    );
  });

  it("dispatches to a registered command with parsed flags", async () => {
    const seen: unknown[] = [];
    commands.probe = defineCommand({
      name: "probe",
      summary: "test probe.",
      flags: [{ name: "n", type: "integer", default: 1, description: "n" }],
      example: "infomorph probe",
      async run(args, io) {
        seen.push(args.flags);
        io.stdout.write("probed\n");
        if (args.flags.n === 9) {
          throw new InfomorphError({ code: "probe/nine", message: "nine is not allowed. Use 8." });
        }
      },
    });
    try {
      expect(await cli("probe", "--n", "4")).toEqual({ code: 0, stdout: "probed\n", stderr: "" });
      expect(seen).toEqual([{ n: 4, help: false, verbose: false }]);
      const failed = await cli("probe", "--n", "9", "--verbose");
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/^error: nine is not allowed\. Use 8\.\nInfomorphError: nine/);
    } finally {
      Reflect.deleteProperty(commands, "probe");
    }
  });
});
