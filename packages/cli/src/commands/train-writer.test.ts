import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { type MetricLine, readRun } from "@infomorph/runs";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_CLI, describeWith } from "../../../../test/prerequisites.js";
import { train } from "../../testing/built-cli.js";
import { cli } from "../../testing/cli.js";

/**
 * One writer per run folder, and damaged run files named before anything runs. The first part
 * starts two real `infomorph train` processes (the built CLI, as a user runs it).
 */

const root = mkdtempSync(join(tmpdir(), "infomorph-train-writer-"));
/** Long enough (≈ 30 epochs of 8 batches) that the loser starts while the winner still trains. */
const LONG = ["--hidden", "8", "--epochs", "30", "--batch-size", "256", "--train-samples", "2048"];

describeWith([BUILT_CLI], "two `infomorph train --out D` at once", () => {
  it("refuses the second, naming the first's process and host, and leaves the first's run intact", async () => {
    const dir = join(root, "both");
    const runs = [train([...LONG, "--out", dir]), train([...LONG, "--out", dir])];
    const exits = await Promise.all(runs.map((r) => r.exit));
    const winner = exits.findIndex((e) => e.code === 0);
    expect(winner, exits.map((e) => e.stderr).join("\n---\n")).toBeGreaterThanOrEqual(0);
    const loser = exits[1 - winner];
    const pid = runs[winner].child.pid;
    expect(loser.code, loser.stderr).toBe(1);
    expect(loser.stderr).toContain(
      `error: run ${dir} is in use by process ${pid} on ${hostname()}`,
    );
    expect(loser.stderr).toContain("Wait for it to finish or stop it, then try again.");

    // the winner's run: 30 epochs, every metrics line and atom epoch whole, no lock left
    const run = readRun(dir);
    expect(run.epoch).toBe(30);
    expect(run.metrics.map((l) => `${l.epoch} ${l.split}`)).toEqual(
      Array.from({ length: 30 }, (_, e) =>
        ["train", "validation", "test"].map((s) => `${e + 1} ${s}`),
      ).flat(),
    );
    for (const layer of run.layers) expect(layer.epochs, layer.name).toHaveLength(30);
    expect(existsSync(join(dir, "writer.lock"))).toBe(false);
  });
});

describe("a damaged run folder", () => {
  const TINY = ["--hidden", "6", "--epochs", "2", "--batch-size", "256", "--train-samples", "1024"];
  const base = join(root, "base");

  beforeAll(async () => {
    const r = await cli("train", ...TINY, "--out", base);
    expect(r.code, r.stderr).toBe(0);
  });

  /**
   * A copy of the base run with `damage` done to it, then `report` and `train --resume` on it,
   * which must both fail without changing a file.
   */
  async function damaged(name: string, damage: (dir: string) => void) {
    const dir = join(root, name);
    cpSync(base, dir, { recursive: true });
    damage(dir);
    const before = ["metrics.jsonl", "checkpoint.json", "atoms-hidden.f32"].map((f) =>
      readFileSync(join(dir, f)),
    );
    const report = await cli("report", dir);
    const resume = await cli("train", "--resume", dir, "--epochs", "3");
    const after = ["metrics.jsonl", "checkpoint.json", "atoms-hidden.f32"].map((f) =>
      readFileSync(join(dir, f)),
    );
    // nothing trained, nothing cut off
    after.forEach((bytes, i) => expect(bytes.equals(before[i]), `file ${i} unchanged`).toBe(true));
    expect(existsSync(join(dir, "report.html"))).toBe(false);
    expect(existsSync(join(dir, "writer.lock"))).toBe(false);
    return { dir, report, resume };
  }

  it("a corrupt metrics line: report and --resume name the file and the line", async () => {
    const { dir, report, resume } = await damaged("metrics", (d) => {
      const lines = readFileSync(join(d, "metrics.jsonl"), "utf8").split("\n");
      lines[3] = lines[3].replace('"split":"train"', '"split":"trian"'); // epoch 2, train
      writeFileSync(join(d, "metrics.jsonl"), lines.join("\n"));
    });
    const path = join(dir, "metrics.jsonl");
    for (const r of [report, resume]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `^error: ${escapeRegExp(path)} line 4: split must be train, validation or test: \\{"epoch":2,"split":"trian","accuracy":.*…\\. The file was damaged or edited by hand; restore it, or train the run again\\.\\n$`,
        ),
      );
    }
  });

  it("a line of metrics.jsonl that is not JSON is named with its number", async () => {
    const { dir, report, resume } = await damaged("metrics-json", (d) => {
      const lines = readFileSync(join(d, "metrics.jsonl"), "utf8").split("\n");
      lines[4] = `${lines[4].slice(0, 10)}#${lines[4].slice(11)}`;
      writeFileSync(join(d, "metrics.jsonl"), lines.join("\n"));
    });
    for (const r of [report, resume]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: ${join(dir, "metrics.jsonl")} line 5: not valid JSON (`);
    }
  });

  it("a corrupt atoms.json: both name the file, line and column", async () => {
    const { dir, report, resume } = await damaged("atoms-json", (d) => {
      const text = readFileSync(join(d, "atoms.json"), "utf8").split("\n");
      expect(text[3]).toBe('  "dtype": "float32",');
      text[3] = '  "dtype": float32,'; // line 4: a bare word
      writeFileSync(join(d, "atoms.json"), text.join("\n"));
    });
    for (const r of [report, resume]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: ${join(dir, "atoms.json")}:4:12: not valid JSON (`);
    }
  });

  it("a cut-short atoms file: both name the file", async () => {
    const { dir, report, resume } = await damaged("atoms-short", (d) => {
      truncateSync(join(d, "atoms-hidden.f32"), 6 * 19 * 4 + 7);
    });
    const path = join(dir, "atoms-hidden.f32");
    expect(report.stderr).toBe(
      `error: ${path} holds 1 of the 2 epochs that atoms.json promises (epoch 2 is missing or cut short; 6 neurons × 19 values × 4 bytes per epoch). The folder was changed; train the run again.\n`,
    );
    expect(resume.stderr).toBe(
      `error: ${path} is shorter (${6 * 19 * 4 + 7} bytes) than its checkpoint says (${2 * 6 * 19 * 4}); the folder was changed. Start a new run.\n`,
    );
  });

  it("the undamaged run still reports and resumes", async () => {
    const lines: MetricLine[] = readRun(base).metrics;
    expect(lines).toHaveLength(6);
    expect((await cli("report", base)).code).toBe(0);
    const resumed = await cli("train", "--resume", base, "--epochs", "3");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readRun(base).epoch).toBe(3);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
