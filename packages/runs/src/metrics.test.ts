import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type MetricLine, checkMetricLine } from "./format/metric-line.js";
import { FILE_START, readJsonLines } from "./lines.js";
import { readMetrics, tailMetrics } from "./metrics.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-metrics-"));
const seconds = { train: 0.5, evaluate: 0.1 };
const line = (epoch: number, split: MetricLine["split"], accuracy = 0.5): MetricLine =>
  split === "train"
    ? { epoch, split, accuracy, goals: [0.1, -0.02], seconds }
    : {
        epoch,
        split,
        accuracy,
        confusion: [
          [3, 1],
          [0, 4],
        ],
        seconds,
      };
const text = (lines: MetricLine[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join("");

describe("JSON lines by byte offset", () => {
  it("counts bytes, not characters: offsets stay right after non-ASCII text", () => {
    const path = join(root, "unicode.jsonl");
    const lines = ['{"note":"θ ∈ [0, 1]"}', '{"note":"Möbius 🙂"}', '{"note":"ok"}'];
    writeFileSync(path, lines.map((l) => `${l}\n`).join(""));
    const firstTwo = Buffer.byteLength(`${lines[0]}\n${lines[1]}\n`);
    expect(firstTwo).toBeGreaterThan(`${lines[0]}\n${lines[1]}\n`.length); // multi-byte text
    const head = readJsonLines(path, FILE_START, () => null, firstTwo);
    expect(head.records).toEqual([{ note: "θ ∈ [0, 1]" }, { note: "Möbius 🙂" }]);
    expect(head.cursor).toEqual({ offset: firstTwo, line: 3 });
    const rest = readJsonLines(path, head.cursor, () => null);
    expect(rest.records).toEqual([{ note: "ok" }]);
    expect(rest.cursor.offset).toBe(Buffer.byteLength(lines.map((l) => `${l}\n`).join("")));
  });

  it("tails a growing file: a line without its newline waits for the next read", () => {
    const path = join(root, "tail-metrics.jsonl");
    writeFileSync(path, "");
    const all = [line(1, "train"), line(1, "validation"), line(1, "test")];
    const full = text(all);
    const cut = full.indexOf("\n", full.indexOf("\n") + 1) + 10; // inside line 3
    appendFileSync(path, full.slice(0, cut));
    const first = readJsonLines<MetricLine>(path, FILE_START, checkMetricLine);
    expect(first.records.map((l) => l.split)).toEqual(["train", "validation"]);
    expect(first.cursor.line).toBe(3);
    expect(readJsonLines(path, first.cursor, checkMetricLine).records).toEqual([]);
    appendFileSync(path, full.slice(cut));
    const second = readJsonLines<MetricLine>(path, first.cursor, checkMetricLine);
    expect(second.records).toEqual([all[2]]);
    expect(second.cursor).toEqual({ offset: Buffer.byteLength(full), line: 4 });
  });

  it("tailMetrics follows a run folder's metrics.jsonl", () => {
    const dir = mkdtempSync(join(root, "run-"));
    writeFileSync(join(dir, "metrics.jsonl"), text([line(1, "train")]));
    const a = tailMetrics(dir);
    expect(a.lines).toEqual([line(1, "train")]);
    appendFileSync(join(dir, "metrics.jsonl"), text([line(1, "validation", 0.75)]));
    const b = tailMetrics(dir, a.cursor);
    expect(b.lines).toEqual([line(1, "validation", 0.75)]);
    expect(b.cursor.line).toBe(3);
  });
});

describe("committed metrics", () => {
  const run = (name: string, content: string) => {
    const dir = mkdtempSync(join(root, `${name}-`));
    writeFileSync(join(dir, "metrics.jsonl"), content);
    return dir;
  };

  it("reads exactly the lines up to the checkpoint's byte length", () => {
    const committed = text([line(1, "train"), line(1, "validation")]);
    const dir = run("committed", `${committed}{"epoch":2,"split":"tr`);
    expect(readMetrics(dir, Buffer.byteLength(committed))).toHaveLength(2);
  });

  it("names the file and line of a line that is not a metrics record", () => {
    const dir = run("bad", text([line(1, "train")]) + '{"epoch":1,"split":"test"}\n');
    const path = join(dir, "metrics.jsonl");
    expect(() => readMetrics(dir, 1e9)).toThrow(
      `${path} line 2: accuracy must be a number from 0 to 1: {"epoch":1,"split":"test"}. The file was damaged or edited by hand; restore it, or train the run again.`,
    );
    const broken = run("broken", `${text([line(1, "train")])}{"epoch":1,\n`);
    expect(() => readMetrics(broken, 1e9)).toThrow(
      `${join(broken, "metrics.jsonl")} line 2: not valid JSON (`,
    );
    const empty = run("empty", `${text([line(1, "train")])}\n`);
    expect(() => readMetrics(empty, 1e9)).toThrow(
      `${join(empty, "metrics.jsonl")} line 2: an empty line.`,
    );
  });

  it("says when the committed part ends inside a line or the file is too short", () => {
    const content = text([line(1, "train"), line(1, "validation")]);
    const dir = run("cut", content);
    const path = join(dir, "metrics.jsonl");
    expect(() => readMetrics(dir, Buffer.byteLength(content) - 5)).toThrow(
      `${path} line 2 runs past byte ${Buffer.byteLength(content) - 5}, where the checkpoint says the committed metrics end.`,
    );
    expect(() => readMetrics(dir, Buffer.byteLength(content) + 100)).toThrow(
      `${path} is shorter (${Buffer.byteLength(content)} bytes) than its checkpoint says (${Buffer.byteLength(content) + 100}): line 3 and after are missing.`,
    );
  });

  it("checks every field of a line", () => {
    expect(checkMetricLine(line(2, "test"))).toBeNull();
    expect(checkMetricLine([])).toBe("not a JSON object");
    expect(checkMetricLine({ ...line(1, "train"), epoch: 0 })).toBe(
      "epoch must be a positive integer",
    );
    expect(checkMetricLine({ ...line(1, "train"), goals: ["a"] })).toBe(
      "goals must be a list of numbers",
    );
    expect(checkMetricLine({ ...line(1, "test"), confusion: [1, 2] })).toBe(
      "confusion must be a list of lists of counts",
    );
    expect(checkMetricLine({ ...line(1, "test"), seconds: { train: 1 } })).toBe(
      "seconds must hold the numbers train and evaluate",
    );
  });
});
