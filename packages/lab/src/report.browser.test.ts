import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { run as cli } from "infomorph";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_PATH, describeWith } from "../../../test/prerequisites.js";

const SCREENSHOT = resolve("test-output", "report.png");

const root = mkdtempSync(join(tmpdir(), "infomorph-report-browser-"));
const dir = join(root, "run");
const silent = { write: () => true };

/** Per canvas: its chart kind, and how many pixels are not fully transparent or white. */
async function canvasInk(page: Page, selector: string) {
  return page.$$eval(selector, (canvases) =>
    (canvases as HTMLCanvasElement[]).map((canvas) => {
      const ctx = canvas.getContext("2d");
      if (!ctx || canvas.width === 0 || canvas.height === 0)
        return { chart: canvas.dataset.chart, ink: 0, hash: "" };
      const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      let hash = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const white = pixels[i] > 250 && pixels[i + 1] > 250 && pixels[i + 2] > 250;
        if (pixels[i + 3] > 0 && !white) ink++;
        hash = (hash * 31 + pixels[i] + 3 * pixels[i + 1] + 7 * pixels[i + 2]) | 0;
      }
      return { chart: canvas.dataset.chart, ink, hash: String(hash) };
    }),
  );
}

describeWith([CHROMIUM], "the report page in Chromium", () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const io = { stdout: silent, stderr: silent, env: {} };
    const argv = ["--hidden", "12", "--epochs", "2", "--batch-size", "256", "--out", dir];
    expect(await cli(["train", ...argv], io)).toBe(0);
    expect(await cli(["report", dir], io)).toBe(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => {
      // warnings are not collected: reading canvases back below makes Chrome advise willReadFrequently
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(dir, "report.html")).href);
    await page.waitForSelector("body[data-ready]", { timeout: 10_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("loads from file:// without errors and without fetching anything", () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(dir, "report.html")).href]);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });

  it("draws every chart", async () => {
    const charts = await canvasInk(page, "canvas");
    const count = (kind: string) => charts.filter((c) => c.chart === kind).length;
    expect(count("accuracy")).toBe(1);
    expect(count("goal")).toBe(2); // hidden and output
    expect(count("atom")).toBe(19 + 5); // 18 + H_res, 4 + H_res
    expect(count("neuron-atoms")).toBe(1);
    expect(count("receptive-field")).toBe(1);
    expect(count("weights")).toBe(2); // C and L bars
    expect(count("confusion")).toBe(2);
    for (const [i, c] of charts.entries()) {
      expect(c.ink, `canvas ${i} (${c.chart}) is blank`).toBeGreaterThan(100);
    }
    const svgs = await page.$$eval("svg", (all) => all.map((s) => s.childElementCount));
    for (const children of svgs) expect(children).toBeGreaterThan(0);
  });

  it("shows the header, atom names and the goal table", async () => {
    const header = await page.locator("#header").innerText();
    expect(header).toMatch(/trivariate/);
    expect(header).toMatch(/embedded/);
    const captions = await page.locator("#atoms figcaption").allInnerTexts();
    expect(captions[1]).toMatch(/^\(F\)\(C\) \{1\}\{2\} γ = 0\.97/);
    expect(captions[18]).toMatch(/^H_res/);
    const goal = await page.locator("#goal").innerText();
    expect(goal).toMatch(/trivariate-opt1/);
    expect(goal).toMatch(/\(FC\)\(FL\)\s+\{12\}\{13\}\s+-0\.968/);
  });

  it("updates the neuron panel when neuron 3 is picked", async () => {
    const title = () => page.locator("#neuron-title").innerText();
    expect(await title()).toBe("hidden neuron 0 of 12 (0–11)");
    const before = await canvasInk(page, "#neuron-panel canvas");
    await page.fill("#neuron-index", "3");
    expect(await title()).toBe("hidden neuron 3 of 12 (0–11)");
    expect(await page.inputValue("#neuron-slider")).toBe("3");
    const after = await canvasInk(page, "#neuron-panel canvas");
    expect(after.map((c) => c.chart)).toEqual(before.map((c) => c.chart));
    for (const [i, c] of after.entries()) {
      expect(c.ink, `${c.chart} blank`).toBeGreaterThan(100);
      expect(c.hash, `${c.chart} (canvas ${i}) did not change`).not.toBe(before[i].hash);
    }
    // the output layer: bars over the 12 hidden neurons instead of an image
    await page.selectOption("#neuron-layer", "1");
    expect(await title()).toBe("output neuron 3 of 10 (0–9)");
    expect(problems).toEqual([]);
    await page.selectOption("#neuron-layer", "0");
  });

  it("shows the representational complexity of the hidden layer", async () => {
    const section = await page.locator("#complexity").innerText();
    expect(section).toMatch(/^Representational complexity\n/);
    expect(section).toContain("C ∈ [1, k]");
    for (const k of [2, 3, 4]) {
      const row = section.match(new RegExp(`subsampled groups of ${k} neurons\\s+(\\S+) ± (\\S+)`));
      expect(row, `row for k = ${k}`).not.toBeNull();
      const mean = Number(row?.[1]);
      expect(mean, `k = ${k}`).toBeGreaterThanOrEqual(1);
      expect(mean, `k = ${k}`).toBeLessThanOrEqual(k);
    }
    expect(section).toContain("Subsampled groups of k neurons: 50 of 2, 30 of 3, 10 of 4 neurons");
    expect(problems).toEqual([]);
  });

  it("saves a screenshot", async () => {
    mkdirSync("test-output", { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
