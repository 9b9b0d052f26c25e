import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG, record } from "../testing/fixture.js";
import { writeFileAtomic } from "./files.js";
import { RunFolder } from "./folder.js";
import { type AtomsIndex, atomsIndex } from "./format/atoms-index.js";
import { metricLines } from "./format/metric-line.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-folder-"));

describe("run folder", () => {
  it("writes metrics lines per split with nested confusion matrices", () => {
    expect(metricLines(record(2))).toEqual([
      {
        epoch: 2,
        split: "train",
        accuracy: 0.52,
        goals: [0.2, 0.2],
        seconds: { train: 1.5, evaluate: 0.25 },
      },
      {
        epoch: 2,
        split: "validation",
        accuracy: 0.5,
        confusion: [
          [1, 0],
          [1, 0],
        ],
        seconds: { train: 1.5, evaluate: 0.25 },
      },
      {
        epoch: 2,
        split: "test",
        accuracy: 1,
        confusion: [
          [1, 0],
          [0, 1],
        ],
        seconds: { train: 1.5, evaluate: 0.25 },
      },
    ]);
  });

  it("names every atom canonically and by source", () => {
    const index = atomsIndex(record(1).layers);
    expect(index.layers[1]).toEqual({
      name: "output",
      size: 2,
      sources: ["F", "C"],
      file: "atoms-output.f32",
      atoms: ["{1}", "{2}", "{1}{2}", "{12}"],
      aliases: ["(F)", "(C)", "(F)(C)", "(FC)"],
      stride: 5,
    });
    expect(index.layers[0].atoms).toHaveLength(18);
    expect(index.layers[0].aliases).toContain("(F)(C)(L)");
  });

  it("appends epochs, and on open cuts everything back to the checkpoint", () => {
    const dir = join(root, "run");
    const folder = RunFolder.create(dir, CONFIG, { w: new Float32Array([1, 2]) });
    expect(readdirSync(dir).sort()).toEqual([
      "checkpoint.json",
      "config.json",
      "metrics.jsonl",
      "writer.lock",
    ]);
    for (const epoch of [1, 2]) {
      folder.appendEpoch(record(epoch));
      folder.writeCheckpoint(epoch, { w: new Float32Array([epoch, 2]) });
    }
    // Epoch 3 appended but never checkpointed: a crash between the two.
    folder.appendEpoch(record(3));
    const atoms = JSON.parse(readFileSync(join(dir, "atoms.json"), "utf8")) as AtomsIndex;
    expect(atoms.epochs).toBe(3);
    expect(readFileSync(join(dir, "atoms-hidden.f32")).length).toBe(3 * 3 * 19 * 4);
    folder.close(); // as the crashed process would have, had it been able to

    const { folder: reopened, checkpoint } = RunFolder.open(dir);
    expect(checkpoint.epoch).toBe(2);
    expect(checkpoint.state).toEqual({ w: new Float32Array([2, 2]) });
    expect(reopened.readMetrics().map((l) => `${l.epoch}${l.split}`)).toEqual([
      "1train",
      "1validation",
      "1test",
      "2train",
      "2validation",
      "2test",
    ]);
    expect(readFileSync(join(dir, "atoms-hidden.f32")).length).toBe(2 * 3 * 19 * 4);
    expect(readFileSync(join(dir, "atoms-output.f32")).length).toBe(2 * 2 * 5 * 4);
    const output = new Float32Array(
      new Uint8Array(readFileSync(join(dir, "atoms-output.f32"))).buffer,
    );
    expect(output[2 * 5 + 4]).toBeCloseTo(2 + 0 + 0.04, 6); // epoch 2, neuron 0, H_res
    expect(JSON.parse(readFileSync(join(dir, "atoms.json"), "utf8")).epochs).toBe(2);
    expect(() => reopened.appendEpoch(record(4))).toThrow(/epoch 4 follows epoch 2/);
    reopened.appendEpoch(record(3));
    reopened.writeCheckpoint(3, { w: new Float32Array([3, 2]) });
    expect(reopened.readMetrics()).toHaveLength(9);
  });

  it("discards a first epoch that was appended but never checkpointed", () => {
    const dir = join(root, "first");
    const folder = RunFolder.create(dir, CONFIG, {});
    folder.appendEpoch(record(1));
    folder.close();
    const { folder: reopened, checkpoint } = RunFolder.open(dir);
    expect(checkpoint.epoch).toBe(0);
    expect(readFileSync(join(dir, "metrics.jsonl"), "utf8")).toBe("");
    reopened.appendEpoch(record(1));
    reopened.writeCheckpoint(1, {});
    expect(readFileSync(join(dir, "atoms-hidden.f32")).length).toBe(3 * 19 * 4);
    expect(reopened.readMetrics()).toHaveLength(3);
  });

  it("refuses to start a run in a folder that is not empty", () => {
    const dir = join(root, "busy");
    RunFolder.create(dir, CONFIG, {}).close();
    expect(() => RunFolder.create(dir, CONFIG, {})).toThrow(
      `${dir} already holds a run. Continue it with --resume ${dir}, or choose another --out.`,
    );
  });

  it("rejects a damaged checkpoint with a clear message", () => {
    const dir = join(root, "damaged");
    RunFolder.create(dir, CONFIG, {}).close();
    writeFileSync(join(dir, "checkpoint.json"), '{"format": 1, "epo');
    expect(() => RunFolder.open(dir)).toThrow(
      `${join(dir, "checkpoint.json")}:1:19: not valid JSON (`,
    );
    expect(existsSync(join(dir, "writer.lock")), "the lock is given up on failure").toBe(false);
  });

  it("replaces files atomically without leaving temp files", () => {
    const dir = mkdtempSync(join(root, "atomic-"));
    const path = join(dir, "a.json");
    writeFileAtomic(path, "one");
    writeFileAtomic(path, new Uint8Array([116, 119, 111]));
    expect(readFileSync(path, "utf8")).toBe("two");
    expect(readdirSync(dir)).toEqual(["a.json"]);
    expect(existsSync(join(dir, ".a.json.tmp"))).toBe(false);
  });
});
