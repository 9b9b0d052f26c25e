import { describe, expect, it } from "vitest";
import { type CommandSpec, configFromFlags, helpText, parseFlags } from "./flags.js";

const pid = {
  name: "pid",
  summary: "decompose a table.",
  positionals: [{ name: "TABLE", description: "a PID table as JSON", required: true }],
  flags: [
    {
      name: "bins",
      type: "integer",
      min: 2,
      default: 20,
      configKey: "binning.bins",
      description: "bins per source",
    },
    {
      name: "learning-rate",
      type: "number",
      min: 0,
      configKey: "train.learningRate",
      description: "step size",
    },
    {
      name: "kernels",
      type: "string",
      choices: ["wasm", "ts"],
      default: "wasm",
      description: "kernel set",
    },
    { name: "layers", type: "list", default: ["100", "10"], description: "layer sizes" },
    { name: "json", type: "boolean", description: "print JSON" },
    { name: "out", type: "string", placeholder: "DIR", description: "output folder" },
  ],
  example: "infomorph pid examples/xor.json",
} as const satisfies CommandSpec;

const parse = (...argv: string[]) => parseFlags(pid, argv);

describe("parseFlags", () => {
  it("converts every type and fills defaults", () => {
    const args = parse(
      "t.json",
      "--bins",
      "5",
      "--learning-rate=0.01",
      "--json",
      "--layers",
      "3, 4",
      "--layers",
      "5",
    );
    expect(args.flags).toEqual({
      bins: 5,
      learningRate: 0.01,
      kernels: "wasm",
      layers: ["3", "4", "5"],
      json: true,
      out: undefined,
      help: false,
      verbose: false,
    });
    expect(args.positionals).toEqual(["t.json"]);
    expect([...args.given].sort()).toEqual(["bins", "json", "layers", "learning-rate"]);
    const defaults = parse("t.json");
    expect(defaults.flags.bins).toBe(20);
    expect(defaults.flags.layers).toEqual(["100", "10"]);
    expect(defaults.flags.json).toBe(false);
  });

  it("keeps a negative number as a value", () => {
    expect(() => parse("t", "--learning-rate", "-1")).toThrow(
      "--learning-rate must be a number ≥ 0 (got -1). Try --learning-rate 0.",
    );
  });

  it.each([
    [["--bins", "1"], "--bins must be an integer ≥ 2 (got 1). Try --bins 20."],
    [["--bins", "2.5"], "--bins must be an integer ≥ 2 (got 2.5). Try --bins 20."],
    [["--bins", "abc"], "--bins must be an integer ≥ 2 (got abc). Try --bins 20."],
    [
      ["--learning-rate", "fast"],
      "--learning-rate must be a number ≥ 0 (got fast). Try --learning-rate 0.",
    ],
    [["--kernels", "gpu"], "--kernels must be one of wasm, ts (got gpu). Try --kernels wasm."],
    [["--bins"], "--bins needs a value. Try --bins 20."],
    [["--out", "--json"], "--out needs a value."],
    [["--json=yes"], "--json takes no value (got --json=yes). Use --json alone."],
    [["--bins", "3", "--bins", "4"], "--bins was given twice (3 and 4). Give it once."],
    [["--foo"], "unknown flag --foo for 'infomorph pid'. See: infomorph pid --help."],
    [["-x"], "unknown flag -x for 'infomorph pid'. See: infomorph pid --help."],
    [["extra"], "unexpected argument 'extra' for 'infomorph pid'. See: infomorph pid --help."],
  ])("%j → %s", (argv, message) => {
    const withTable = argv[0] === "extra" ? ["t.json", ...argv] : ["t.json", ...argv];
    expect(() => parseFlags(pid, withTable)).toThrow(message);
    try {
      parseFlags(pid, withTable);
    } catch (err) {
      expect((err as { code: string }).code.startsWith("usage/")).toBe(true);
      expect((err as Error).message).toBe(message);
    }
  });

  it("requires required positionals, except with --help", () => {
    expect(() => parseFlags(pid, [])).toThrow(
      "'infomorph pid' needs TABLE (a PID table as JSON). See: infomorph pid --help.",
    );
    expect(parseFlags(pid, ["-h"]).flags.help).toBe(true);
  });
});

describe("configFromFlags", () => {
  it("nests the given flags by configKey and leaves defaults to the resolver", () => {
    const args = parse("t.json", "--learning-rate", "0.5");
    expect(configFromFlags(pid.flags, args)).toEqual({ train: { learningRate: 0.5 } });
    const both = parse("t.json", "--learning-rate", "0.5", "--bins", "7");
    expect(configFromFlags(pid.flags, both)).toEqual({
      train: { learningRate: 0.5 },
      binning: { bins: 7 },
    });
  });
});

describe("helpText", () => {
  const text = helpText(pid);

  it("lists every flag of the table, the common flags and the argument", () => {
    for (const flag of pid.flags) expect(text, flag.name).toContain(`--${flag.name}`);
    expect(text).toContain("-h, --help");
    expect(text).toContain("--verbose");
    expect(text).toContain("TABLE");
    expect(text).toContain("Usage: infomorph pid TABLE [flags]");
  });

  it("shows placeholders, bounds, choices and defaults", () => {
    expect(text).toMatch(/--bins N +bins per source \(≥ 2; default: 20\)\n/);
    expect(text).toMatch(/--kernels wasm\|ts +kernel set \(default: wasm\)\n/);
    expect(text).toMatch(/--layers A,B,… +layer sizes \(default: 100,10\)\n/);
    expect(text).toMatch(/--out DIR +output folder\n/);
    expect(text).toMatch(/--json +print JSON\n/);
  });

  it("ends with the example", () => {
    expect(text.endsWith("Example:\n  infomorph pid examples/xor.json\n")).toBe(true);
  });
});
