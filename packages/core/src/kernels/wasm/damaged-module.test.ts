/**
 * A damaged shipped module (here: the version field of each module's header changed, as a
 * corrupted install would) is a clear error wherever it is loaded, never a silent fallback
 * to the TypeScript kernels.
 */

import { describe, expect, it, vi } from "vitest";
import { InfomorphError } from "../../errors.js";
import { PidEstimator } from "../../pid/samples.js";
import { pickKernels, tsKernels } from "../kernels.js";
import { createWasmKernels } from "./loader.js";

/** The module with byte 4 (the first byte of the binary format's version) set to 2. */
function damaged(base64: string): string {
  const bytes = Buffer.from(base64, "base64");
  bytes[4] = 2;
  return bytes.toString("base64");
}

vi.mock("./matmul.wasm.js", async (original) => {
  const real = await original<typeof import("./matmul.wasm.js")>();
  return { ...real, matmulWasmBase64: damaged(real.matmulWasmBase64) };
});
vi.mock("./pid.wasm.js", async (original) => {
  const real = await original<typeof import("./pid.wasm.js")>();
  return { ...real, pidWasmBase64: damaged(real.pidWasmBase64) };
});

const message = (file: string) =>
  new RegExp(
    `^the shipped WebAssembly module ${file.replace(".", "\\.")} is damaged \\(CompileError: .+\\)\\. Reinstall infomorph \\(npm ci, or npm install @infomorph/core\\); to run without WebAssembly meanwhile, use tsKernels\\(\\) and the estimator's engine: "typescript"\\.$`,
  );

async function rejection(promise: Promise<unknown>): Promise<InfomorphError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InfomorphError);
  return error as InfomorphError;
}

describe("a damaged shipped WebAssembly module", () => {
  it("makes createWasmKernels and pickKernels reject, naming the file and the repair", async () => {
    for (const make of [() => createWasmKernels(), () => pickKernels()]) {
      const error = await rejection(make());
      expect([error.code, error.path]).toEqual(["kernels/corrupt-module", ["matmul.wasm.ts"]]);
      expect(error.message).toMatch(message("matmul.wasm.ts"));
    }
  });

  it("makes the PID estimator throw, and engine: typescript still runs", () => {
    const config = { sources: 3, bins: 20, batch: 8, gamma: new Float64Array(19) };
    let error: unknown = null;
    try {
      new PidEstimator(config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InfomorphError);
    expect((error as InfomorphError).code).toBe("kernels/corrupt-module");
    expect((error as InfomorphError).message).toMatch(message("pid.wasm.ts"));
    expect(new PidEstimator({ ...config, engine: "typescript" }).engine).toBe("typescript");
    expect(tsKernels().name).toBe("ts");
  });

  it("is reported for a character that is not base64", async () => {
    const { compileShipped } = await import("./shipped-module.js");
    const error = await rejection(compileShipped("x.wasm.ts", "AGFz!QEAAAA"));
    expect(error.message).toMatch(
      /^the shipped WebAssembly module x\.wasm\.ts is damaged \(the base64 text is damaged: character 4 \("!"\) is not base64\)\. Reinstall/,
    );
  });
});
