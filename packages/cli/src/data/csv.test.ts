import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../testing/idx-fixtures.js";
import { loadCsv } from "./csv.js";

const dir = tempDir();
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("loadCsv", () => {
  it("reads a header, numeric features and integer labels (last column by default)", () => {
    const ds = loadCsv(write("a.csv", "x,y,label\n1,2,10\n3.5,-4,-1\n0,0,10\n"));
    expect(ds).toMatchObject({ name: "a.csv", count: 3, dim: 2, classes: 2, imageShape: null });
    expect(Array.from(ds.features)).toEqual([1, 2, 3.5, -4, 0, 0]);
    // -1 < 10, so -1 → class 0 and 10 → class 1
    expect(Array.from(ds.labels)).toEqual([1, 0, 1]);
    expect(ds.labelNames).toEqual(["-1", "10"]);
  });

  it("maps text labels in sorted order and needs no header for them", () => {
    const ds = loadCsv(write("b.csv", "5.1,setosa\r\n6.2,virginica\r\n5.9,versicolor\r\n\r\n"));
    expect(ds.count).toBe(3);
    expect(ds.labelNames).toEqual(["setosa", "versicolor", "virginica"]);
    expect(Array.from(ds.labels)).toEqual([0, 2, 1]);
  });

  it("takes the label column by name or index, and handles quoted fields", () => {
    const path = write("c.csv", 'kind,"w, cm",h\n"a ""b""",1,2\nc,3,4\n');
    const byName = loadCsv(path, { labelColumn: "kind" });
    const byIndex = loadCsv(path, { labelColumn: 0 });
    for (const ds of [byName, byIndex]) {
      expect(Array.from(ds.features)).toEqual([1, 2, 3, 4]);
      expect(ds.labelNames).toEqual(['a "b"', "c"]);
    }
    const numeric = write("d.csv", "1,7,2\n3,8,4\n");
    expect(loadCsv(numeric, { labelColumn: -2 }).labelNames).toEqual(["7", "8"]);
    expect(Array.from(loadCsv(numeric, { labelColumn: -2 }).features)).toEqual([1, 2, 3, 4]);
  });

  it("names line and column of a bad number", () => {
    const path = write(
      "data.csv",
      "a,b,c,y\n1,2,3,0\n1,2,3,1\n1,2,3,0\n1,2,3,1\n1,2,3,0\n1,2,abc,1\n",
    );
    expect(() => loadCsv(path)).toThrow('data.csv line 7, column 3: "abc" is not a number.');
  });

  it("rejects an empty cell, a ragged row, a non-integer label and an unclosed quote", () => {
    expect(() => loadCsv(write("e.csv", "1,,0\n"))).toThrow(
      'e.csv line 1, column 2: "" is not a number.',
    );
    expect(() => loadCsv(write("r.csv", "1,2,0\n1,0\n"))).toThrow(
      "r.csv line 2: 2 fields, expected 3 as on line 1. Every row needs the same columns.",
    );
    expect(() => loadCsv(write("f.csv", "1,0\n2,0.5\n"))).toThrow(
      'f.csv line 2, column 2: label "0.5" is not an integer. Class labels must be integers or text; is the label column the right one?',
    );
    expect(() => loadCsv(write("q.csv", '1,0\n2,"x\n'))).toThrow(
      'q.csv line 2: a quoted field is never closed. Add the closing ".',
    );
  });

  it("rejects an unknown label column", () => {
    const path = write("h.csv", "x,y\n1,0\n");
    expect(() => loadCsv(path, { labelColumn: "label" })).toThrow(
      'h.csv has no column "label"; its header is: x, y.',
    );
    expect(() => loadCsv(path, { labelColumn: 2 })).toThrow(
      "label column 2 does not exist in h.csv, which has 2 columns. Give an index from 0 to 1 (or -1 for the last).",
    );
    expect(() => loadCsv(write("n.csv", "1,0\n"), { labelColumn: "y" })).toThrow(
      'n.csv has no header row, so the label column cannot be named "y".',
    );
  });

  it("rejects a file with only a header, and an empty file", () => {
    expect(() => loadCsv(write("only.csv", "x,y\n"))).toThrow(
      "only.csv has a header but no data rows. Add one sample per line below the header.",
    );
    expect(() => loadCsv(write("empty.csv", "\n\n"))).toThrow(
      "empty.csv has no rows. Give a CSV file with one sample per line.",
    );
  });
});
