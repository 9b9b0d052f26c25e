/** Associative-memory benchmarks: the infomorphic layer's epoch and a recall across N (how the cost grows), and a whole N = 100 capacity scan on 1 and 2 threads. */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  InfomorphicMemory,
  Rng,
  pickKernels,
  randomPatterns,
  recall,
  resolveInfomorphicMemory,
} from "@infomorph/core";
import type { Emit } from "./lines.js";

/** The built `infomorph` command, run as a user runs it (resolved when needed: test runners have no import.meta.resolve). */
const cliMain = (): string => fileURLToPath(import.meta.resolve("infomorph"));

/**
 * Per N (100, 200, 500) at α = 1.8 (P = 1.8·N, where failing scans spend their 5000
 * epochs): one full-batch infomorphic epoch (products, θ, bins, PID and its gradient, Adam)
 * and one recall of all patterns from the trained-for-20-epochs weights. One thread.
 */
export async function benchMemory(emit: Emit): Promise<void> {
  const kernels = await pickKernels();
  try {
    for (const N of [100, 200, 500]) {
      const P = Math.round(1.8 * N);
      const patterns = randomPatterns(P, N, new Rng(N));
      const layer = new InfomorphicMemory(
        resolveInfomorphicMemory({}),
        patterns,
        P,
        N,
        kernels,
        new Rng(1),
      );
      for (let e = 0; e < 20; e++) layer.epoch();
      const repeats = N >= 500 ? 10 : 50;
      // a recall of failing patterns runs all N steps: P·N² per step, N steps
      const epochs: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const t = performance.now();
        layer.epoch();
        epochs.push(performance.now() - t);
      }
      emit({
        bench: "memory",
        case: `infomorphic epoch N=${N} P=${P}`,
        times: epochs,
        kernels: kernels.name,
      });
      const recalls: number[] = [];
      let steps = 0;
      for (let r = 0; r < (N >= 500 ? 1 : 3); r++) {
        const t = performance.now();
        const result = recall(layer.network(), patterns, patterns, P, kernels);
        recalls.push(performance.now() - t);
        steps = Math.max(...result.steps);
      }
      emit({ bench: "memory", case: `recall N=${N} P=${P}`, times: recalls, maxSteps: steps });
    }
  } finally {
    kernels.close();
  }
}

/**
 * A whole capacity scan as the issue sets it: N = 100, loads 0.2…2.0 step 0.02 (91 loads),
 * the infomorphic rule, seed 1, every load (no early end of the scan), on 1 and 2 task
 * threads: `infomorph memory` as a child process, timed from start to exit. Minutes per case;
 * prints α_c too.
 */
export async function benchMemoryScan(emit: Emit): Promise<void> {
  for (const threads of [1, 2]) {
    const dir = mkdtempSync(join(tmpdir(), "infomorph-bench-memory-"));
    try {
      const args = [
        "memory",
        "--neurons",
        "100",
        "--load",
        "0.2:2.0:0.02",
        "--rule",
        "infomorphic",
      ];
      const t = performance.now();
      const summary = await runJson([
        ...args,
        "--seeds",
        "1",
        "--threads",
        String(threads),
        "--out",
        join(dir, "run"),
        "--json",
      ]);
      const ms = performance.now() - t;
      emit({
        bench: "memory-scan",
        case: `N=100 infomorphic 91 loads, ${threads} thread${threads === 1 ? "" : "s"}`,
        times: [ms],
        tasks: summary.done,
        kernels: summary.kernels,
        alphaC: summary.capacity[0]?.seeds[0]?.alphaC ?? null,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Run the CLI with `args` (ending in --json) and parse what it prints. */
function runJson(args: string[]): Promise<{
  done: number;
  kernels: string;
  capacity: { seeds: { alphaC: number }[] }[];
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain(), ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(stdout));
      else
        reject(
          new Error(
            `infomorph ${args.join(" ")} exited ${code}: ${stderr.trim().split("\n").at(-1)}`,
          ),
        );
    });
  });
}
