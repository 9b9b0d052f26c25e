/**
 * The shipped WebAssembly modules against their sources, without clang: each *.wasm.ts names
 * the files it was built from (C, headers, assembly) and carries the sha256 of their bytes and of its own module
 * bytes (scripts/build-kernels.sh writes all three). An edited C kernel that was not rebuilt,
 * and an edited or damaged base64 string, fail here. (The clang rebuild check in
 * test/build-kernels.test.ts proves the bytes are what the sources compile to.)
 */

import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeBase64 } from "../../codec/base64.js";
import * as matmulShared from "./matmul-shared.wasm.js";
import * as matmul from "./matmul.wasm.js";
import * as pid from "./pid.wasm.js";

const HERE = new URL("./", import.meta.url);

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const MODULES = [
  {
    file: "matmul.wasm.ts",
    sources: matmul.matmulWasmSources,
    sourceSha256: matmul.matmulWasmSourceSha256,
    wasmSha256: matmul.matmulWasmSha256,
    base64: matmul.matmulWasmBase64,
  },
  {
    file: "matmul-shared.wasm.ts",
    sources: matmulShared.matmulSharedWasmSources,
    sourceSha256: matmulShared.matmulSharedWasmSourceSha256,
    wasmSha256: matmulShared.matmulSharedWasmSha256,
    base64: matmulShared.matmulSharedWasmBase64,
  },
  {
    file: "pid.wasm.ts",
    sources: pid.pidWasmSources,
    sourceSha256: pid.pidWasmSourceSha256,
    wasmSha256: pid.pidWasmSha256,
    base64: pid.pidWasmBase64,
  },
];

const REBUILD = "Run scripts/build-kernels.sh (needs clang and lld) and commit the result.";

describe("the shipped WebAssembly modules", () => {
  it.each(MODULES)("$file was built from the C and assembly sources as they are", (m) => {
    const bytes = m.sources.map((name) => readFileSync(new URL(name, HERE)));
    const actual = sha256(Buffer.concat(bytes));
    expect(
      actual,
      `${m.sources.join(", ")} changed after ${m.file} was built (sha256 ${actual}, built from ${m.sourceSha256}). ${REBUILD}`,
    ).toBe(m.sourceSha256);
  });

  it.each(MODULES)("$file holds the module bytes it was written with", (m) => {
    const bytes = decodeBase64(m.base64);
    const actual = sha256(bytes);
    expect(
      actual,
      `${m.file}'s base64 decodes to ${bytes.length} bytes with sha256 ${actual}, not the ${m.wasmSha256} the build wrote: the file was edited or damaged. ${REBUILD}`,
    ).toBe(m.wasmSha256);
    expect(Array.from(bytes.subarray(0, 8)), `${m.file}: wasm magic and version`).toEqual([
      0, 97, 115, 109, 1, 0, 0, 0,
    ]);
  });

  it("are built from every C, header and assembly file of kernels/wasm, and only those", () => {
    const onDisk = readdirSync(HERE)
      .filter((name) => /\.[chs]$/.test(name))
      .sort();
    const built = [...new Set(MODULES.flatMap((m) => m.sources))].sort();
    expect(built, "files built into a module vs files in kernels/wasm").toEqual(onDisk);
  });
});
