/**
 * What `npm install @infomorph/lab` gets: the page prebuilt (dist/page, every file the build
 * made), the server and report code, and no sources, so a user needs no build step.
 */

import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { BUILT_PAGE, describeWith } from "../../../test/prerequisites.js";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));

describeWith([BUILT_PAGE], "the published @infomorph/lab package", () => {
  let files: Set<string>;

  beforeAll(() => {
    const pack = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: PACKAGE,
      encoding: "utf8",
    });
    expect(pack.status, pack.stderr).toBe(0);
    const [listing] = JSON.parse(pack.stdout) as { files: { path: string }[] }[];
    files = new Set(listing.files.map((f) => f.path));
  });

  it("holds every file of the built page, and the page loads only files it holds", () => {
    const page = join(PACKAGE, "dist", "page");
    const built = readdirSync(page, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(PACKAGE, join(e.parentPath, e.name)).split("\\").join("/"));
    expect(built).toContain("dist/page/index.html");
    expect(built.filter((f) => /^dist\/page\/assets\/digits-[\w-]+\.bin$/.test(f))).toHaveLength(1);
    for (const file of built) expect(files, file).toContain(file);
    const html = readFileSync(join(page, "index.html"), "utf8");
    const loaded = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(loaded.length).toBeGreaterThanOrEqual(2); // the script and the style sheet
    for (const asset of loaded) expect(files, asset).toContain(`dist/page/${asset}`);
  });

  it("holds the server and the report writer, and no sources or tests", () => {
    for (const file of ["dist/index.js", "dist/server/lab-server.js", "dist/write-report.js"])
      expect(files, file).toContain(file);
    const unwanted = [...files].filter(
      (f) =>
        /^(src|page|testing)\//.test(f) ||
        /\.test\.(js|ts)$/.test(f) ||
        (f.endsWith(".ts") && !f.endsWith(".d.ts")),
    );
    expect(unwanted).toEqual([]);
  });
});
