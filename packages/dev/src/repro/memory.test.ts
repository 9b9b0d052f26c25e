import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MEMORY_REPRO, reproMemory } from "./memory.js";

describe("npm run repro -- memory --report-only", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Runs it with stderr captured; returns the exit code and what it wrote there. */
  async function run(argv: string[]) {
    let log = "";
    vi.spyOn(process.stderr, "write").mockImplementation((text) => {
      log += String(text);
      return true;
    });
    const code = await reproMemory(argv);
    vi.restoreAllMocks();
    return { code, log };
  }

  it("leaves the page alone when runs are missing, and writes its section with --partial", async () => {
    const root = mkdtempSync(join(tmpdir(), "infomorph-repro-memory-"));
    const out = join(root, "RESULTS-memory.md");
    const args = [
      "--report-only",
      "--sets",
      "n200",
      "--runs-dir",
      join(root, "runs"),
      "--out",
      out,
    ];
    const names = MEMORY_REPRO.n200.map((r) => r.name);
    const refused = await run(args);
    expect(refused.code).toBe(1);
    expect(refused.log).toContain(
      `error: 5 of 5 runs failed, are missing or still run, so ${out} was not rewritten: ${names.map((n) => `${n} (no run folder)`).join("; ")}.`,
    );
    expect(existsSync(out)).toBe(false);

    writeFileSync(out, "# Memory\n\nNotes by hand.\n");
    const partial = await run([...args, "--partial"]);
    expect(partial.code).toBe(0);
    const page = readFileSync(out, "utf8");
    expect(page.startsWith("# Memory\n\nNotes by hand.\n\n<!-- repro:memory ")).toBe(true);
    expect(page).toContain(
      `**Incomplete** (written with \`--partial\`): ${names[0]} (no run folder);`,
    );
    // the page quotes the command without --out, its paths relative to where it ran
    expect(page).toContain(
      `\`npm run repro -- memory --sets n200 --runs-dir ${relative(process.cwd(), join(root, "runs"))}\` on `,
    );
  });
});
