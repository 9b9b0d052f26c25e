import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  memoryTasks,
  parseLoads,
  resolveMemoryExperiment,
  runMemoryTask,
  tsKernels,
} from "@infomorph/core";
import { MemoryRunFolder } from "@infomorph/runs";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_PATH, describeWith } from "../../../../test/prerequisites.js";
import { writeReport } from "../write-report.js";

const SCREENSHOT = resolve("test-output", "memory-report.png");

const dir = join(mkdtempSync(join(tmpdir(), "infomorph-memory-report-")), "run");

/** Per canvas: its chart kind and how many pixels are not fully transparent or white. */
async function canvasInk(page: Page) {
  return page.$$eval("canvas", (canvases) =>
    (canvases as HTMLCanvasElement[]).map((canvas) => {
      const ctx = canvas.getContext("2d");
      if (!ctx || canvas.width === 0) return { chart: canvas.dataset.chart, ink: 0 };
      const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const white = pixels[i] > 250 && pixels[i + 1] > 250 && pixels[i + 2] > 250;
        if (pixels[i + 3] > 0 && !white) ink++;
      }
      return { chart: canvas.dataset.chart, ink };
    }),
  );
}

describeWith([CHROMIUM], "the memory report page in Chromium", () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    // two rules, two seeds, four loads at N = 40: a finished memory run in a second or two
    const experiment = resolveMemoryExperiment({
      neurons: 40,
      loads: parseLoads("0.25:1.0:0.25"),
      rules: ["infomorphic", "hebbian"],
      seeds: [1, 2],
      infomorphic: { maxEpochs: 100 },
    });
    const folder = MemoryRunFolder.create(dir, experiment, "test");
    for (const task of memoryTasks(experiment)) {
      folder.append(runMemoryTask(experiment, task, tsKernels()), 0);
    }
    folder.close();
    await writeReport(dir, () => {
      throw new Error("a memory report needs no hidden layer");
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    await page.goto(pathToFileURL(join(dir, "report.html")).href);
    await page.waitForSelector("body[data-ready]", { timeout: 10_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("opens the lab's page in static mode on its memory view", async () => {
    expect(problems).toEqual([]);
    const handle = await page.evaluate(() => ({
      mode: globalThis.infomorphLab.mode,
      memory: globalThis.infomorphLab.view?.root.classList.contains("memory-view"),
    }));
    expect(handle).toEqual({ mode: "static", memory: true });
    expect(await page.title()).toBe("infomorph memory report: run");
  });

  it("draws the storage curves, one basin chart per rule and the atoms over loads", async () => {
    expect(problems).toEqual([]);
    const charts = await canvasInk(page);
    const count = (kind: string) => charts.filter((c) => c.chart === kind).length;
    expect(count("storage-stored")).toBe(1);
    expect(count("storage-cosine")).toBe(1);
    expect(count("basins")).toBe(2);
    // the 4 recall atoms of each rule, and the infomorphic goal's 4 atoms + H_res
    expect(count("memory-atom")).toBe(4 + 4 + 5);
    for (const [i, c] of charts.entries()) {
      expect(c.ink, `canvas ${i} (${c.chart}) is blank`).toBeGreaterThan(100);
    }
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });

  it("shows the header, the capacity table and the atom names", async () => {
    const header = await page.locator("#header").innerText();
    expect(header).toMatch(/neurons\s+40/);
    expect(header).toMatch(/tasks\s+16 of 16/);
    const capacity = await page.locator("#capacity").innerText();
    expect(capacity).toMatch(/infomorphic\s+(≥ )?\d\.\d{3} ± \d\.\d{3}/);
    expect(capacity).toMatch(/hebbian\s+\d\.\d{3} ± \d\.\d{3}/);
    const captions = await page.locator("#atoms figcaption").allInnerTexts();
    expect(captions.slice(0, 5)).toEqual([
      "(F) {1}",
      "(C) {2}",
      "(F)(C) {1}{2}",
      "(FC) {12}",
      "(F) {1}",
    ]);
    expect(captions[8]).toBe("H_res");
    mkdirSync("test-output", { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
