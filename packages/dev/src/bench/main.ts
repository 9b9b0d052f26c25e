import { cpus, loadavg } from "node:os";
import { isEntryPoint } from "infomorph/entry-point";
import { benchEpoch } from "./epoch.js";
import { benchKernels } from "./kernels.js";
import { benchLabLive, benchLabRender, benchLabTrain } from "./lab.js";
import type { BenchLine, Emit } from "./lines.js";
import { benchMemory, benchMemoryScan } from "./memory.js";
import { benchPid } from "./pid.js";
import { benchSearch } from "./search.js";
import { median, round } from "./stats.js";
import { benchStep } from "./step.js";

/** Every benchmark by name; add one by importing it and adding a line. */
export const BENCHES: Record<string, (emit: Emit, args: readonly string[]) => Promise<void>> = {
  pid: benchPid,
  epoch: benchEpoch,
  kernels: benchKernels,
  step: benchStep,
  memory: benchMemory,
  "memory-scan": benchMemoryScan,
  search: benchSearch,
  "lab-render": benchLabRender,
  "lab-live": benchLabLive,
  "lab-train": benchLabTrain,
};

/**
 * Run the benchmark `name`, writing JSON lines to `write`. Returns the exit code:
 * 0, or 2 with a message on `error` for an unknown name.
 */
export async function runBench(
  name: string | undefined,
  write: (text: string) => void = (text) => process.stdout.write(text),
  error: (text: string) => void = (text) => process.stderr.write(text),
  args: readonly string[] = [],
): Promise<number> {
  if (name === undefined || !Object.hasOwn(BENCHES, name)) {
    const names = Object.keys(BENCHES).join(", ");
    error(
      `error: ${name === undefined ? "name a benchmark" : `unknown benchmark '${name}'`}. Benchmarks: ${names}. Run e.g.: npm run bench -- pid\n`,
    );
    return 2;
  }
  const cpu = cpus()[0]?.model ?? "unknown";
  await BENCHES[name]((line) => {
    const { times, ...rest } = line;
    const out: BenchLine = {
      ...rest,
      ms: round(median(times)),
      // A case may report its own minimum and count when `times` holds a summary (kernels).
      minMs: typeof rest.minMs === "number" ? rest.minMs : round(Math.min(...times)),
      repeats: typeof rest.repeats === "number" ? rest.repeats : times.length,
      loadavg: loadavg().map((v) => round(v)),
      node: process.version,
      cpu,
    };
    write(`${JSON.stringify(out)}\n`);
  }, args);
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  runBench(process.argv[2], undefined, undefined, process.argv.slice(3)).then((code) => {
    process.exitCode = code;
  });
}
