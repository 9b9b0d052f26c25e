import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pidOfTable } from "./table.js";

// docs/SCIENCE.md §11 prints the I^sx atoms of XOR, AND and COPY for users to check their
// intuition; this test recomputes every printed value, so the table cannot drift from the code.
const science = readFileSync(new URL("../../../../docs/SCIENCE.md", import.meta.url), "utf8");

const GATES: Record<string, { p: number[]; shape: number[] }> = {
  XOR: { p: [0.25, 0, 0, 0.25, 0, 0.25, 0.25, 0], shape: [2, 2, 2] },
  AND: { p: [0.25, 0, 0.25, 0, 0.25, 0, 0, 0.25], shape: [2, 2, 2] },
  // T = (S1, S2) takes four values: T = 2·S1 + S2
  COPY: {
    p: [0.25, 0, 0, 0, 0, 0.25, 0, 0, 0, 0, 0.25, 0, 0, 0, 0, 0.25],
    shape: [2, 2, 4],
  },
};

/** The table rows of §11: gate name, then numbers. */
function printedRows(): Map<string, number[]> {
  const section = science.slice(science.indexOf("## 11."));
  const rows = new Map<string, number[]>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 8 || !(cells[1] in GATES)) continue;
    rows.set(
      cells[1],
      cells.slice(3, 8).map((c) => Number(c.replace("−", "-"))),
    );
  }
  return rows;
}

describe("docs/SCIENCE.md §11: the I^sx table of XOR, AND and COPY", () => {
  const rows = printedRows();

  it("prints all three gates", () => expect([...rows.keys()]).toEqual(["XOR", "AND", "COPY"]));

  it.each(Object.keys(GATES))(
    "%s: every printed value is the code's, to the 4 decimals shown",
    (gate) => {
      const { p, shape } = GATES[gate];
      const pid = pidOfTable(p, shape);
      const computed = [
        pid.atom("{1}{2}"),
        pid.atom("{1}"),
        pid.atom("{2}"),
        pid.atom("{12}"),
        pid.mutualInformation(3),
      ];
      const printed = rows.get(gate) ?? [];
      expect(printed).toHaveLength(5);
      computed.forEach((value, i) => {
        expect(Math.abs(printed[i] - value), `${gate} column ${i}`).toBeLessThanOrEqual(5e-5);
      });
      expect(Math.abs(pid.hRes)).toBeLessThan(1e-12);
    },
  );
});
