import { describe, expect, it } from "vitest";
import { pickKernels } from "../kernels.js";
import { createWasmKernels, wasmSimdSupported } from "./loader.js";

describe("wasm loader", () => {
  it("is the default on every supported Node (20, 22, 24: all have WebAssembly SIMD)", async () => {
    const major = Number(process.versions.node.split(".")[0]);
    expect(major, "infomorph supports Node 20 and later").toBeGreaterThanOrEqual(20);
    expect(wasmSimdSupported(), `Node ${process.version} without WebAssembly SIMD`).toBe(true);
    expect((await pickKernels()).name).toBe("wasm-simd");
  });

  it("keeps alloc() views attached and throws, not grows, when the arena is full", async () => {
    const kernels = await createWasmKernels({ memoryMiB: 2 });
    const kept = kernels.alloc(1000).fill(3);
    expect(() => kernels.alloc(1 << 20)).toThrow(
      /^WebAssembly kernel memory is full: alloc of 1048576 floats needs 4194304 bytes/,
    );
    // scratch copies of plain arrays that do not fit fail the same way, and leave alloc() views intact
    const big = new Float32Array(300_000);
    expect(() => kernels.matmulAtB(big, big, new Float32Array(1), 1, 300_000, 1)).toThrow(
      /kernel memory is full: scratch/,
    );
    expect(kept.length).toBe(1000);
    expect(kept.every((x) => x === 3)).toBe(true);
    const out = new Float32Array(1);
    kernels.matmulAtB(Float32Array.of(2), Float32Array.of(5), out, 1, 1, 1);
    expect(out[0]).toBe(10);
  });

  it("rejects a bad memoryMiB, and pickKernels passes that on instead of falling back", async () => {
    const message = "memoryMiB must be an integer from 2 to 1024 (got 4096). Try 128.";
    await expect(createWasmKernels({ memoryMiB: 4096 })).rejects.toThrow(message);
    await expect(pickKernels({ memoryMiB: 4096 })).rejects.toThrow(message);
  });
});
