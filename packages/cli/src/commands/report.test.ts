import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRun, runArchive } from "@infomorph/runs";
import { beforeAll, describe, expect, it } from "vitest";
import type { OutStream } from "../cli/output.js";
import { run } from "../main.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-report-"));
const dir = join(root, "run");

function capture(): OutStream & { text: string } {
  return {
    text: "",
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

async function cli(...argv: string[]) {
  const io = { stdout: capture(), stderr: capture(), env: {} };
  const code = await run(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

beforeAll(async () => {
  const small = ["--hidden", "6", "--epochs", "1", "--train-samples", "512", "--batch-size", "256"];
  expect((await cli("train", ...small, "--out", dir)).code).toBe(0);
});

describe("infomorph report", () => {
  it("writes DIR/report.html and prints its path", async () => {
    const r = await cli("report", dir);
    expect(r).toMatchObject({ code: 0, stdout: `${join(dir, "report.html")}\n` });
    expect(r.stderr).toMatch(/^wrote \d+\.\d MiB; open it in a browser:\n$/);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<script type="application/json" id="run-data">');
    expect(html).toContain("<title>infomorph report: run</title>");
    // the embedded data parses and holds no raw "<" that could close the script early
    const json = html.split('id="run-data">')[1].split("</script>")[0];
    expect(json).not.toContain("<");
    const data = JSON.parse(json);
    expect(data.layers.map((l: { name: string }) => l.name)).toEqual(["hidden", "output"]);
    expect(data.layers[0].values).toMatchObject({ dtype: "float32" });
    // the page itself is inlined: nothing is loaded from elsewhere
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });

  it("writes elsewhere with --out", async () => {
    const out = join(root, "elsewhere.html");
    const r = await cli("report", dir, "--out", out);
    expect(r).toMatchObject({ code: 0, stdout: `${out}\n` });
    expect(existsSync(out)).toBe(true);
  });

  it("unpacks a run exported as RUN.zip next to it, then reports it", async () => {
    const zip = join(root, "exported.zip");
    writeFileSync(zip, runArchive(dir));
    const r = await cli("report", zip);
    expect(r).toMatchObject({ code: 0, stdout: `${join(root, "exported", "report.html")}\n` });
    expect(r.stderr).toMatch(
      new RegExp(`^unpacked ${zip} into the run folder ${join(root, "exported")}\\n`),
    );
    expect(readRun(join(root, "exported")).metrics).toEqual(readRun(dir).metrics);
    const again = await cli("report", zip);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `${join(root, "exported")} already exists and is not empty; the run in ${zip} would be unpacked there. Move it away, or give the folder itself.`,
    );
  });

  it("names the problem with a folder that is not a run", async () => {
    const r = await cli("report", root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${root} holds no config.json, so it is not a run folder. Give the folder 'infomorph train' printed.`,
    );
    expect((await cli("report")).code).toBe(2);
  });
});
