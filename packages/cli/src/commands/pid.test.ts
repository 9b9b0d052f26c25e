import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadPidVectors } from "../../../core/testing/vectors.js";
import { cli } from "../../testing/cli.js";
import { tempDir } from "../../testing/idx-fixtures.js";

const XOR = fileURLToPath(new URL("../../examples/xor.json", import.meta.url));
const AND3 = fileURLToPath(new URL("../../examples/and3.csv", import.meta.url));
const vectors = loadPidVectors();
const reference = (name: string) => vectors.find((c) => c.name === name)!;

/** A file in a fresh temporary folder. */
function write(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

describe("infomorph pid", () => {
  it("prints the XOR example as an aligned table of atoms, MIs and the checks", async () => {
    const { code, stdout, stderr } = await cli("pid", XOR);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toBe(
      [
        `PID of ${XOR} (2 sources, target with 2 values, 4 atoms; I^sx redundancy, in bits)`,
        "",
        "atom    alias       value  informative  misinformative",
        "{1}     (F)      0.584963     0.584963        0.000000",
        "{2}     (C)      0.584963     0.584963        0.000000",
        "{1}{2}  (F)(C)  -0.584963     0.415037        1.000000",
        "{12}    (FC)     0.415037     0.415037        0.000000",
        "",
        "collection  alias  I(T;S_a)",
        "{1}         (F)    0.000000",
        "{2}         (C)    0.000000",
        "{12}        (FC)   1.000000",
        "",
        "H(T)     1.000000",
        "H_res    0.000000  = H(T) − I(T;S)",
        "I(T;S)   1.000000",
        "Σ atoms  1.000000  = I(T;S): ok (difference 0.0e+0)",
        "",
      ].join("\n"),
    );
  });

  it("prints exactly atoms, informative, misinformative, H_res, H and mi with --json", async () => {
    const { code, stdout } = await cli("pid", XOR, "--json");
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual([
      "atoms",
      "informative",
      "misinformative",
      "H_res",
      "H",
      "mi",
    ]);
    const want = reference("XOR");
    expect(Object.keys(json.atoms)).toEqual(["{1}", "{2}", "{1}{2}", "{12}"]);
    for (const [atom, value] of Object.entries(want.atoms)) {
      expect(json.atoms[atom], atom).toBeCloseTo(value, 12);
      expect(json.informative[atom], atom).toBeCloseTo(want.atoms_informative[atom], 12);
      expect(json.misinformative[atom], atom).toBeCloseTo(want.atoms_misinformative[atom], 12);
    }
    expect(json.atoms["{1}{2}"]).toBeCloseTo(Math.log2(2 / 3), 14);
    expect(json.H).toBe(1);
    expect(json.H_res).toBeCloseTo(0, 14);
    expect(json.mi).toEqual({ "{1}": 0, "{2}": 0, "{12}": 1 });
  });

  it("adds the pointwise atoms of each non-zero cell with --pointwise", async () => {
    const { stdout } = await cli("pid", XOR, "--json", "--pointwise");
    const { pointwise } = JSON.parse(stdout);
    expect(pointwise.map((c: { cell: number[] }) => c.cell)).toEqual([
      [0, 0, 0],
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 0],
    ]);
    for (const cell of pointwise) {
      expect(cell.p).toBe(0.25);
      // XOR is symmetric: every cell has the same pointwise atoms, equal to the averages.
      expect(cell.atoms["{1}{2}"]).toBeCloseTo(Math.log2(2 / 3), 12);
      expect(cell.atoms["{12}"]).toBeCloseTo(Math.log2(4 / 3), 12);
    }
    const text = await cli("pid", XOR, "--pointwise");
    expect(text.stdout).toContain(
      "cell               p       {1}       {2}     {1}{2}      {12}\n" +
        "(0, 0 → 0)  0.250000  0.584963  0.584963  -0.584963  0.415037\n",
    );
  });

  it("reads a pid_vectors.json case (shape + p_flat) with the reference atoms", async () => {
    const want = reference("RANDOM_3x3x3x2_seed0");
    const path = write("case.json", JSON.stringify(want));
    const { code, stdout } = await cli("pid", path, "--json");
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json.atoms)).toHaveLength(18);
    for (const [atom, value] of Object.entries(want.atoms)) {
      expect(json.atoms[atom], atom).toBeCloseTo(value, 9);
    }
  });

  it("builds the empirical distribution of CSV samples: and3.csv is the AND3 table", async () => {
    const { code, stdout } = await cli("pid", AND3, "--json");
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    const want = reference("AND3");
    for (const [atom, value] of Object.entries(want.atoms)) {
      expect(json.atoms[atom], atom).toBeCloseTo(value, 12);
    }
    const text = await cli("pid", AND3);
    expect(text.stdout.split("\n")[0]).toBe(
      `PID of ${AND3} (8 samples, 3 sources, target with 2 values, 18 atoms; I^sx redundancy, in bits)`,
    );
    expect(text.stdout).toMatch(/\n\{1\}\{2\}\{3\} +\(F\)\(C\)\(L\) +0\.025851 /);
  });

  it("maps any CSV values to indices, with or without a header, repeated rows as counts", async () => {
    const table = JSON.parse((await cli("pid", XOR, "--json")).stdout);
    const words = write(
      "xor-words.csv",
      "left,right,parity\nno,no,even\nno,yes,odd\nyes,no,odd\nyes,yes,even\n",
    );
    const numbers = write("xor.csv", "0,0,0\n0,1,1\n1,0,1\n1,1,0\n1,1,0\n0,0,0\n0,1,1\n1,0,1\n");
    for (const path of [words, numbers]) {
      const { code, stdout } = await cli("pid", path, "--json");
      expect(code, path).toBe(0);
      const json = JSON.parse(stdout);
      for (const atom of Object.keys(table.atoms)) {
        expect(json.atoms[atom], `${path} ${atom}`).toBeCloseTo(table.atoms[atom], 12);
      }
    }
    // A first row of numbers is a sample, never a header, even when its values are unique.
    const twoRows = write("two.csv", "0,0,0\n1,1,1\n");
    expect((await cli("pid", twoRows)).stdout).toContain("(2 samples, 2 sources,");
    const pointwise = await cli("pid", words, "--pointwise");
    expect(pointwise.stdout).toContain("(no, yes → odd)");
  });

  it("takes class names for the alias column with --names", async () => {
    const { stdout } = await cli("pid", XOR, "--names", "F,L");
    expect(stdout).toContain("{1}{2}  (F)(L)  -0.584963");
    expect(stdout).toContain("{12}        (FL)   1.000000");
  });

  it("accepts counts with --normalize", async () => {
    const path = write("counts.json", '{"shape": [2, 2, 2], "p": [1, 0, 0, 1, 0, 1, 1, 0]}');
    const { code, stdout } = await cli("pid", path, "--json", "--normalize");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).atoms["{1}{2}"]).toBeCloseTo(Math.log2(2 / 3), 14);
  });

  it("leaves out the alias column for n ≥ 4 unless --names is given", async () => {
    const shape = [2, 2, 2, 2, 2];
    const p = new Array(32).fill(1 / 32);
    const path = write("four.json", JSON.stringify({ shape, p }));
    const plain = await cli("pid", path);
    expect(plain.stdout.split("\n")[2]).toMatch(/^atom +value +informative +misinformative$/);
    const named = await cli("pid", path, "--names", "A,B,C,D");
    expect(named.stdout).toMatch(/\n\{1\}\{2\}\{3\}\{4\} +\(A\)\(B\)\(C\)\(D\) +0\.000000/);
  });

  describe("bad input: one sentence on stderr, nothing on stdout, exit 2", () => {
    const cases: [string, () => string[], (paths: string[]) => string][] = [
      [
        "a missing file",
        () => ["/nonexistent/t.json"],
        () =>
          'cannot read /nonexistent/t.json: no such file; give a JSON table {"shape": […], "p": […]} or a CSV of samples.',
      ],
      [
        "bad JSON",
        () => [write("bad.json", '{"shape": [2, 2]')],
        ([f]) =>
          `${f} is not valid JSON (Expected ',' or '}' after property value in JSON at position 16 (line 1 column 17)).`,
      ],
      [
        "JSON without shape",
        () => [write("t.json", '{"p": [1]}')],
        ([f]) =>
          `${f} needs "shape" and "p" arrays, e.g. {"shape": [2, 2, 2], "p": [0.25, 0, 0, 0.25, 0, 0.25, 0.25, 0]} (source axes first, target last).`,
      ],
      [
        "both p and p_flat",
        () => [write("t.json", '{"shape": [1, 1], "p": [1], "p_flat": [1]}')],
        ([f]) => `${f} has both "p" and "p_flat"; give only one.`,
      ],
      [
        "a non-number in p",
        () => [write("t.json", '{"shape": [2, 1], "p": [0.5, "0.5"]}')],
        ([f]) => `${f}: "p" must hold numbers, but entry 1 is "0.5".`,
      ],
      [
        "a table that is not normalised",
        () => [write("t.json", '{"shape": [2, 2], "p": [1, 2, 3, 4]}')],
        ([f]) =>
          `${f}: the probabilities sum to 10.0000000000, not 1; pass --normalize to divide them by their sum (e.g. for counts).`,
      ],
      [
        "a length that does not match the shape",
        () => [write("t.json", '{"shape": [2, 2], "p": [0.5, 0.5]}')],
        ([f]) =>
          `${f}: the table has 2 entries but shape [2,2] needs 4 (the product of the axis sizes, C order, target last).`,
      ],
      [
        "more than 5 sources",
        () => [write("t.json", '{"shape": [1, 1, 1, 1, 1, 1, 1], "p": [1]}')],
        ([f]) =>
          `${f} has 6 sources, but the I^sx lattice supports at most 5 (7579 atoms); merge sources into fewer columns.`,
      ],
      [
        "a CSV with one column",
        () => [write("t.csv", "y\n0\n1\n")],
        ([f]) =>
          `${f} has 1 column; a CSV of samples needs one column per source and the target last (at least 2 columns).`,
      ],
      [
        "an empty CSV",
        () => [write("t.csv", "\n")],
        ([f]) =>
          `${f} has 0 columns; a CSV of samples needs one column per source and the target last (at least 2 columns).`,
      ],
      [
        "a ragged CSV",
        () => [write("t.csv", "a,b,y\n0,1,1\n1,0\n")],
        ([f]) => `${f} line 3 has 2 fields, expected 3 as on line 1.`,
      ],
      [
        "a CSV with 6 sources",
        () => [write("t.csv", "0,0,0,0,0,0,1\n1,1,1,1,1,1,0\n")],
        ([f]) =>
          `${f} has 6 sources, but the I^sx lattice supports at most 5 (7579 atoms); merge sources into fewer columns.`,
      ],
      [
        "the wrong number of --names",
        () => [XOR, "--names", "F,C,L"],
        () =>
          "--names needs 2 distinct class names without brackets, one per source (got F,C,L); try --names F,C.",
      ],
      [
        "repeated --names",
        () => [AND3, "--names", "F,F,L"],
        () =>
          "--names needs 3 distinct class names without brackets, one per source (got F,F,L); try --names F,C,L.",
      ],
    ];
    it.each(cases)("%s", async (_, argv, message) => {
      const args = argv();
      const result = await cli("pid", ...args);
      expect(result).toEqual({ code: 2, stdout: "", stderr: `error: ${message(args)}\n` });
    });
  });
});
