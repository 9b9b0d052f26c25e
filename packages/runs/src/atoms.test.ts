import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { littleEndianBytes } from "@infomorph/core";
import { describe, expect, it } from "vitest";
import { readAtomsIndex, readLayerAtoms, tailLayerAtoms } from "./atoms.js";
import { type AtomsIndex, atomsIndex, epochBytes } from "./format/atoms-index.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-atoms-"));
/** A run folder with one 2-source layer of 3 neurons (4 atoms + H_res = 5 values each). */
function folder(name: string): { dir: string; index: AtomsIndex } {
  const dir = mkdtempSync(join(root, `${name}-`));
  const index = atomsIndex([
    { name: "output", size: 3, sources: ["F", "C"], atoms: new Float64Array(0) },
  ]);
  writeFileSync(join(dir, "atoms.json"), `${JSON.stringify(index, null, 2)}\n`);
  return { dir, index };
}
/** Epoch e's values: e + neuron/10 + value/100. */
const epoch = (e: number) =>
  Float32Array.from({ length: 15 }, (_, i) => e + Math.floor(i / 5) / 10 + (i % 5) / 100);

describe("atom trajectories", () => {
  it("reads whole epochs as they were appended, and tails them by byte offset", () => {
    const { dir, index } = folder("tail");
    const [layer] = index.layers;
    expect(layer).toMatchObject({ file: "atoms-output.f32", stride: 5 });
    expect(layer.atoms).toHaveLength(4);
    expect(epochBytes(layer)).toBe(60);
    const file = join(dir, layer.file);
    appendFileSync(file, littleEndianBytes(epoch(1)));
    const bytes2 = littleEndianBytes(epoch(2));
    appendFileSync(file, bytes2.subarray(0, 17)); // epoch 2 half written
    const first = tailLayerAtoms(dir, layer);
    expect(first.epochs).toEqual([epoch(1)]);
    expect(first.offset).toBe(60);
    appendFileSync(file, bytes2.subarray(17));
    const second = tailLayerAtoms(dir, layer, first.offset);
    expect(second).toEqual({ epochs: [epoch(2)], offset: 120 });
    expect(readLayerAtoms(dir, layer, 2)).toEqual([epoch(1), epoch(2)]);
    expect(() => tailLayerAtoms(dir, layer, 61)).toThrow(
      "offset 61 is not a whole number of epochs of layer output (60 bytes each). Continue from the offset the last call returned.",
    );
  });

  it("names the file and the first missing epoch of a file cut short", () => {
    const { dir, index } = folder("short");
    const [layer] = index.layers;
    appendFileSync(join(dir, layer.file), littleEndianBytes(epoch(1)).subarray(0, 50));
    expect(() => readLayerAtoms(dir, layer, 1)).toThrow(
      `${join(dir, layer.file)} holds 0 of the 1 epochs that atoms.json promises (epoch 1 is missing or cut short; 3 neurons × 5 values × 4 bytes per epoch).`,
    );
  });

  it("checks atoms.json: bad JSON by line and column, a bad field by name", () => {
    const { dir } = folder("index");
    const path = join(dir, "atoms.json");
    expect(readAtomsIndex(dir)?.layers[0].name).toBe("output");
    const lines = readFileSync(path, "utf8").split("\n");
    writeFileSync(path, lines.map((l) => l.replace('"epochs": 0,', '"epochs": 0')).join("\n"));
    expect(() => readAtomsIndex(dir)).toThrow(
      `${path}:4:3: not valid JSON (Expected ',' or '}' after property value in JSON). The file was damaged or edited by hand; restore it, or train the run again.`,
    );
    writeFileSync(path, lines.map((l) => l.replace('"stride": 5', '"stride": 4')).join("\n"));
    expect(() => readAtomsIndex(dir)).toThrow(
      `${path}: layers[0].stride must be the number of atoms + 1 (5).`,
    );
    writeFileSync(path, lines.map((l) => l.replace('"atoms-output.f32"', '"../x.f32"')).join("\n"));
    expect(() => readAtomsIndex(dir)).toThrow(
      `${path}: layers[0].file must be a file name in the run folder.`,
    );
    expect(readAtomsIndex(join(root, "nowhere"))).toBeNull();
  });
});
