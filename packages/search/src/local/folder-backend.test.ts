import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createSampler } from "@infomorph/core";
import { expect, it } from "vitest";
import { BUILT_CLI, describeWith } from "../../../../test/prerequisites.js";
import { Coordinator } from "../coordinator.js";
import { resolveStudyConfig, studySpace } from "../study-config.js";
import { StudyFolder } from "../study-folder.js";
import { readTrialLog } from "../trial-log.js";
import { FolderBackend } from "./folder-backend.js";

const DIST = join(import.meta.dirname, "../../dist/index.js");
const root = mkdtempSync(join(tmpdir(), "infomorph-folder-backend-"));

/**
 * A worker script that trains nothing: trial 2 kills its own process on its first attempt (a
 * crash), trial 3 always throws, every other trial reports 1/(1 + id) after two epochs.
 */
const FAKE_WORKER = `
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serveLocalWorker } from ${JSON.stringify(pathToFileURL(DIST).href)};
serveLocalWorker({
  async run(job, dir, hooks) {
    mkdirSync(dir, { recursive: true });
    const marker = join(dir, "attempted");
    if (job.trial === 2 && !existsSync(marker)) {
      writeFileSync(marker, "");
      process.stderr.write("simulated crash\\n");
      process.exit(3);
    }
    if (job.trial === 3) throw new Error("trial 3 cannot train");
    for (let epoch = 1; epoch <= 2; epoch++) {
      await new Promise((r) => setTimeout(r, 5));
      if (hooks.shouldStop()) return null;
      hooks.onEpoch({ seed: 1, epoch, epochs: 2, train: 0, validation: 0.1 * epoch, test: null, goals: [], seconds: 0 });
    }
    const value = 1 / (1 + job.trial);
    return { value, seeds: [{ seed: 1, value, epoch: 2, test: null, seconds: 0 }] };
  },
});
`;

// The worker script imports the built package (dist/), current with its sources as BUILT_CLI checks.
describeWith([BUILT_CLI], "FolderBackend with local worker processes", () => {
  it("retries a crashed worker's trial on a fresh process, fails a trial after its retries, and logs every attempt", async () => {
    const script = join(root, "fake-worker.mjs");
    writeFileSync(script, FAKE_WORKER);
    const dir = join(root, "study");
    mkdirSync(root, { recursive: true });
    const config = resolveStudyConfig(
      "study",
      { trials: 6, retries: 1, sampler: { kind: "random", seed: 1 } },
      "test",
    );
    const folder = StudyFolder.create(dir, config);
    const backend = new FolderBackend(folder, { script, workers: 2 });
    const result = await new Coordinator(backend, { jobs: 2 }).run();
    backend.close();
    expect(result.trials.map((t) => [t.id, t.state, t.value])).toEqual([
      [0, "complete", 1],
      [1, "complete", 1 / 2],
      [2, "complete", 1 / 3],
      [3, "failed", null],
      [4, "complete", 1 / 5],
      [5, "complete", 1 / 6],
    ]);
    const { records } = readTrialLog(join(dir, "trials.jsonl"));
    const about = (id: number) =>
      records.filter((r) => ("start" in r ? r.start : "fail" in r ? r.fail : -1) === id);
    expect(
      about(2).map((r) => ("fail" in r ? r.error : `start ${"start" in r ? r.attempt : ""}`)),
    ).toEqual([
      "start 1",
      expect.stringMatching(
        /^worker process \d+ exited with code 3 while training trial 2: simulated crash$/,
      ),
      "start 2",
    ]);
    expect(about(3).map((r) => ("fail" in r ? r.error : "start"))).toEqual([
      "start",
      "trial 3 cannot train",
      "start",
      "trial 3 cannot train",
    ]);
    expect(result.trials[3].error).toBe("trial 3 cannot train (attempt 2, 2 failed of 2 allowed)");
    expect(readFileSync(join(dir, "study.json"), "utf8")).toContain('"retries": 1');
  });

  it("resumes more interrupted trials than it has worker processes, one after another", async () => {
    const script = join(root, "fake-worker.mjs");
    const dir = join(root, "narrow");
    const config = resolveStudyConfig(
      "narrow",
      { trials: 5, sampler: { kind: "random", seed: 2 } },
      "test",
    );
    const folder = StudyFolder.create(dir, config);
    // Three trials asked by a coordinator (with two workers) that died before telling them.
    const sampler = createSampler(studySpace(config), config.sampler);
    for (let id = 0; id < 3; id++)
      folder.append({ ask: id, params: sampler.ask().params, at: "t" });
    folder.close();
    const backend = new FolderBackend(StudyFolder.open(dir), { script, workers: 1 });
    const result = await new Coordinator(backend, { jobs: 1 }).run();
    backend.close();
    expect(result.trials.map((t) => [t.id, t.state, t.value])).toEqual([
      [0, "complete", 1],
      [1, "complete", 1 / 2],
      [2, "complete", 1 / 3],
      [3, "failed", null], // the fake worker's trial 3 always throws
      [4, "complete", 1 / 5],
    ]);
  });

  it("refuses a second coordinator on the same study folder", () => {
    const dir = join(root, "locked");
    const config = resolveStudyConfig("locked", {}, "test");
    const first = StudyFolder.create(dir, config);
    expect(() => StudyFolder.open(dir)).toThrow(
      new RegExp(`^study ${dir} is in use by process ${process.pid} on `),
    );
    first.close();
    StudyFolder.open(dir).close();
  });
});
