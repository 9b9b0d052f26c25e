import { InfomorphError } from "@infomorph/core";
import { describe, expect, it } from "vitest";
import { type Io, type OutStream, fail, progressBar } from "./output.js";

function capture(isTTY = false): OutStream & { text: string } {
  return {
    text: "",
    isTTY,
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

function io(): Io & { stdout: { text: string }; stderr: { text: string } } {
  return { stdout: capture(), stderr: capture(), env: {} };
}

describe("progressBar", () => {
  it("prints one plain line per 10 % when not on a terminal", () => {
    const stream = capture(false);
    const bar = progressBar(20, "epoch 1", stream);
    for (let i = 0; i < 20; i++) bar.tick();
    bar.done();
    const lines = stream.text.trimEnd().split("\n");
    expect(lines[0]).toBe("epoch 1: 0% (0/20)");
    expect(lines.at(-1)).toBe("epoch 1: 100% (20/20)");
    expect(lines).toHaveLength(11);
    expect(stream.text).not.toContain("\r");
  });

  it("redraws one line in place on a terminal", () => {
    const stream = capture(true);
    const bar = progressBar(4, "load", stream);
    bar.update(2);
    bar.done();
    expect(stream.text).toBe(
      `\rload [${"-".repeat(30)}]   0% 0/4` +
        `\rload [${"#".repeat(15)}${"-".repeat(15)}]  50% 2/4` +
        `\rload [${"#".repeat(30)}] 100% 4/4\n`,
    );
  });
});

describe("fail", () => {
  it("prints one line and returns 2 for bad usage, 1 for bad input", () => {
    const a = io();
    expect(
      fail(new InfomorphError({ code: "usage/bad-value", message: "--bins must be…" }), a),
    ).toBe(2);
    expect(a.stderr.text).toBe("error: --bins must be…\n");
    const b = io();
    expect(fail(new InfomorphError({ code: "idx/truncated", message: "x is truncated." }), b)).toBe(
      1,
    );
    expect(b.stderr.text).toBe("error: x is truncated.\n");
    expect(a.stdout.text + b.stdout.text).toBe("");
  });

  it("shows the stack only with --verbose", () => {
    const quiet = io();
    expect(fail(new Error("boom"), quiet)).toBe(1);
    expect(quiet.stderr.text).toBe("error: boom\n(rerun with --verbose for the stack trace)\n");
    const loud = io();
    fail(new Error("boom"), loud, true);
    expect(loud.stderr.text).toMatch(/^error: boom\nError: boom\n +at /);
  });
});
