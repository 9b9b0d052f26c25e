import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  memoryTasks,
  parseLoads,
  resolveMemoryExperiment,
  runMemoryTask,
  tsKernels,
} from "@infomorph/core";
import { MemoryRunFolder, readMemoryConfig, readResultLines } from "@infomorph/runs";
import { describe, expect, it } from "vitest";
import { memoryResultsMarkdown } from "./memory-results.js";
import { MEMORY_REPRO } from "./memory.js";

describe("memoryResultsMarkdown", () => {
  it("tabulates α_c beside the published value, the curves, basins, atoms and cost of the runs", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "infomorph-memory-results-")), "n100-hebbian");
    const experiment = resolveMemoryExperiment({
      neurons: 100,
      loads: parseLoads("0.05:0.2:0.05"),
      rules: ["hebbian"],
      seeds: [1, 2],
    });
    const folder = MemoryRunFolder.create(dir, experiment, "test");
    for (const task of memoryTasks(experiment)) {
      folder.append(runMemoryTask(experiment, task, tsKernels()), 0);
    }
    folder.close();
    const run = MEMORY_REPRO.n100.find((r) => r.name === "n100-hebbian")!;
    const markdown = memoryResultsMarkdown(
      [{ run, dir, config: readMemoryConfig(dir), lines: readResultLines(dir).lines }],
      [
        { ask: 0, params: { "(F)": 0, "(C)": 0, "(F)(C)": 1, "(FC)": 0, H_res: 0 } },
        { tell: 0, result: 1.5 },
        { ask: 1, params: { "(F)": 0.5, "(C)": 0, "(F)(C)": 1, "(FC)": 0, H_res: -0.5 } },
        { tell: 1, result: 1.6 },
      ],
      {
        command: "npm run repro -- memory",
        date: "2025-01-01",
        machine: "test",
        loadavg: [0, 0, 0],
        missing: [],
      },
    );
    expect(markdown).toMatch(
      /\| 100 \| Hebbian \| 2 \| \d\.\d{3} ± \d\.\d{3} \| \d\.\d\d – \d\.\d\d \| 0\.14 \(0\.138 for N → ∞, Amit et al\. 1985\) \| 8 \|/,
    );
    expect(markdown).toContain("| Hebbian | 0.1 |");
    expect(markdown).toContain("## Basins of attraction (N = 100)");
    expect(markdown).toMatch(
      /\| Hebbian \| 0\.1 \| 1\.00 \| \d\.\d\d \| \d\.\d\d \| \d\.\d\d \|\n/,
    );
    expect(markdown).toMatch(/\| Hebbian \| 0\.1 \| \d\.\d{3} \| /);
    expect(markdown).toContain("## Goal search (N = 100)");
    expect(markdown).toContain(
      "| 1 | 1.60 | (F)=0.50, (F)(C)=1, H_res=-0.50 |\n| 0 | 1.50 | (F)(C)=1 |",
    );
  });

  it("pools a run that adds seeds into the rows of the run it names", () => {
    const root = mkdtempSync(join(tmpdir(), "infomorph-memory-pool-"));
    const folder = (name: string, seeds: number[]) => {
      const dir = join(root, name);
      const experiment = resolveMemoryExperiment({
        neurons: 60,
        loads: parseLoads("0.1:0.3:0.1"),
        rules: ["hebbian"],
        seeds,
      });
      const f = MemoryRunFolder.create(dir, experiment, "test");
      for (const task of memoryTasks(experiment)) {
        f.append(runMemoryTask(experiment, task, tsKernels()), 0);
      }
      f.close();
      return { dir, config: readMemoryConfig(dir), lines: readResultLines(dir).lines };
    };
    const label = "Hebbian";
    const markdown = memoryResultsMarkdown(
      [
        { run: { name: "n60-hebbian", label }, ...folder("a", [1]) },
        { run: { name: "n60-hebbian-more", label, pools: "n60-hebbian" }, ...folder("b", [2, 3]) },
      ],
      [],
      {
        command: "npm run repro -- memory",
        date: "2025-01-01",
        machine: "test",
        loadavg: null,
        missing: [],
      },
    );
    // one row: three seeds and the nine tasks of both folders
    expect(markdown.match(/^\| 60 \| Hebbian \|.*$/gm)).toEqual([
      expect.stringMatching(/^\| 60 \| Hebbian \| 3 \| .* \| 9 \|$/),
    ]);
  });
});
