import { describe, expect, it } from "vitest";
import { BENCHES, runBench } from "./main.js";

async function bench(name: string | undefined) {
  let out = "";
  let err = "";
  const code = await runBench(
    name,
    (text) => {
      out += text;
    },
    (text) => {
      err += text;
    },
  );
  return { code, out, err };
}

describe("runBench", () => {
  it("rejects an unknown or missing name with exit 2, listing the benchmarks", async () => {
    expect(Object.keys(BENCHES)).toContain("pid");
    const names = Object.keys(BENCHES).join(", ");
    expect(await bench("pdi")).toEqual({
      code: 2,
      out: "",
      err: `error: unknown benchmark 'pdi'. Benchmarks: ${names}. Run e.g.: npm run bench -- pid\n`,
    });
    expect(await bench(undefined)).toEqual({
      code: 2,
      out: "",
      err: `error: name a benchmark. Benchmarks: ${names}. Run e.g.: npm run bench -- pid\n`,
    });
    expect((await bench("toString")).code).toBe(2);
  });
});
