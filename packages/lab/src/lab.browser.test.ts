/**
 * The lab page in Debian's Chromium, driven by playwright-core: the static report offline,
 * the live lab (runs and studies listed, a training started from the page growing, stopped, resumed),
 * and training in the page (a slider reaches the worker's goal; an exported run is the run
 * the CLI trains with the same settings). No console errors anywhere; the
 * screenshots stay in test-output/.
 */

import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { formatGoal, namedGoal, parseGoal } from "@infomorph/core";
import { readRun } from "@infomorph/runs";
import { StudyFolder, resolveStudyConfig } from "@infomorph/search";
import { run as cli } from "infomorph";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUILT_CLI,
  BUILT_PAGE,
  CHROMIUM,
  CHROMIUM_PATH,
  describeWith,
} from "../../../test/prerequisites.js";
import { startTestLab } from "../testing/lab.js";
import type { LabServer } from "./server/lab-server.js";

const OUTPUT = resolve("test-output");

const root = mkdtempSync(join(tmpdir(), "infomorph-lab-browser-"));
const runs = join(root, "runs");
const silent = { write: () => true };
const io = { stdout: silent, stderr: silent, env: {} };

let browser: Browser;
let lab: LabServer;
const problems: string[] = [];

async function newPage(): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  page.on("console", (m) => {
    // warnings are not collected: reading canvases back makes Chrome advise willReadFrequently
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  return page;
}

/**
 * Per canvas: its chart kind, how many pixels are neither transparent nor white, and a hash;
 * with the epochs the page had drawn then (body[data-epochs], read in the same turn, so the
 * pictures and the count belong together while a live run keeps drawing).
 */
async function canvasInkAt(page: Page, selector: string) {
  return page.$$eval(selector, (canvases) => ({
    epochs: Number(document.body.dataset.epochs ?? 0),
    charts: (canvases as HTMLCanvasElement[]).map((canvas) => {
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
  }));
}

async function canvasInk(page: Page, selector: string) {
  return (await canvasInkAt(page, selector)).charts;
}

/**
 * A live chart before and after at least two more epochs have been drawn: the first picture
 * and the epochs drawn with it are taken together, so epochs that arrive meanwhile count.
 */
async function growth(page: Page, selector: string) {
  const before = await canvasInkAt(page, selector);
  await page.waitForFunction((e) => Number(document.body.dataset.epochs) >= e + 2, before.epochs, {
    timeout: 60_000,
  });
  const after = await canvasInkAt(page, selector);
  return { before: before.charts[0], after: after.charts[0] };
}

/** Every float array in a (nested) value, in order. */
function floats(value: unknown): Float32Array[] {
  if (value instanceof Float32Array) return [value];
  if (value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap(floats);
}

/** The largest |a − b| over arrays of equal shapes (Infinity when the shapes differ). */
function maxDifference(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  a.forEach((x, i) => {
    if (x.length !== b[i].length) max = Number.POSITIVE_INFINITY;
    for (let k = 0; k < x.length; k++) max = Math.max(max, Math.abs(x[k] - b[i][k]));
  });
  return max;
}

/** Waits until the element `id` (a status line) says `state` in its data-state. */
async function waitForState(page: Page, id: string, state: string, timeout: number) {
  await page.waitForFunction(
    ([id, state]) => document.getElementById(id)?.dataset.state === state,
    [id, state],
    { timeout },
  );
}

/** How many neurons the neuron map shows, over its classes (and none). */
async function mappedNeurons(page: Page): Promise<number> {
  const counts = await page
    .locator("[data-map-counts]")
    .evaluate((e) => ({ ...(e as HTMLElement).dataset }));
  return ["unique", "redundant", "synergistic", "none"].reduce((n, k) => n + Number(counts[k]), 0);
}

/**
 * The text of a section as a reader sees it: sections out of sight are not rendered
 * (content-visibility: auto), so it is scrolled into view and given two frames first.
 */
async function look(page: Page, selector: string): Promise<string> {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
  return page.locator(selector).innerText();
}

/**
 * The built page on a plain static host (as a user might put dist/page on any web server):
 * files only, no lab API, no cross-origin isolation headers.
 */
async function staticHost(): Promise<{ server: Server; url: string }> {
  const dir = resolve("packages/lab/dist/page");
  const types: Record<string, string> = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".bin": "application/octet-stream",
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const file = path === "/" ? "index.html" : path.slice(1);
    if (!/^(index\.html|assets\/[\w.-]+)$/.test(file)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(dir, file));
      res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(OUTPUT, { recursive: true });
  // a full-page picture: every section rendered, also those out of sight
  await page.addStyleTag({ content: "section { content-visibility: visible !important; }" });
  await page.screenshot({ path: join(OUTPUT, name), fullPage: true });
}

describeWith([CHROMIUM, BUILT_CLI, BUILT_PAGE], "the lab page in Chromium", () => {
  const reportRun = join(runs, "report-run");

  beforeAll(async () => {
    const argv = [
      "--hidden",
      "12",
      "--epochs",
      "2",
      "--batch-size",
      "256",
      "--threads",
      "1",
      "--out",
      reportRun,
    ];
    expect(await cli(["train", ...argv], io)).toBe(0);
    expect(await cli(["report", reportRun], io)).toBe(0);
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
    lab = await startTestLab(runs);
  });

  afterAll(async () => {
    await lab?.close();
    await browser?.close();
  });

  describe("the static report", () => {
    let page: Page;
    const requests: string[] = [];
    const file = pathToFileURL(join(reportRun, "report.html")).href;

    beforeAll(async () => {
      page = await newPage();
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(file);
      await page.waitForSelector("body[data-ready]", { timeout: 20_000 });
    });

    it("opens from file:// without fetching anything", () => {
      expect(requests).toEqual([file]);
      const html = readFileSync(join(reportRun, "report.html"), "utf8");
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    });

    it("draws every chart", async () => {
      const charts = await canvasInk(page, "canvas");
      const count = (kind: string) => charts.filter((c) => c.chart === kind).length;
      expect(count("accuracy")).toBe(1);
      expect(count("goal")).toBe(2); // hidden and output
      expect(count("atom")).toBe(19 + 5); // 18 + H_res, 4 + H_res
      expect(count("neuron-map")).toBe(1);
      expect(count("neuron-atoms")).toBe(1);
      expect(count("receptive-field")).toBe(1);
      expect(count("weights")).toBe(2); // C and L bars
      expect(count("confusion")).toBe(2);
      for (const [i, c] of charts.entries())
        expect(c.ink, `canvas ${i} (${c.chart}) is blank`).toBeGreaterThan(100);
    });

    it("shows the header, atom names, the goal and the map's classes", async () => {
      const header = await page.locator("#header").innerText();
      expect(header).toMatch(/trivariate/);
      expect(header).toMatch(/embedded/);
      await look(page, "#atoms");
      const captions = await page.locator("#atoms figcaption").allInnerTexts();
      expect(captions[1]).toMatch(/^\(F\)\(C\) \{1\}\{2\} γ = 0\.978/);
      expect(captions[18]).toMatch(/^H_res/);
      const goal = await look(page, "#goal");
      expect(goal).toMatch(/trivariate-opt1/);
      expect(goal).toMatch(/\(FC\)\(FL\)\s+\{12\}\{13\}\s+-0\.968/);
      expect(await mappedNeurons(page)).toBe(12);
    });

    it("shows neuron 3 when it is picked, and the output layer", async () => {
      const title = () => page.locator("#neuron-title").innerText();
      expect(await title()).toBe("hidden neuron 0 of 12 (0–11)");
      const before = await canvasInk(page, "#neuron-panel canvas");
      await page.fill("#neuron-index", "3");
      expect(await title()).toBe("hidden neuron 3 of 12 (0–11)");
      expect(await page.inputValue("#neuron-slider")).toBe("3");
      const after = await canvasInk(page, "#neuron-panel canvas");
      expect(after.map((c) => c.chart)).toEqual(before.map((c) => c.chart));
      for (const [i, c] of after.entries())
        expect(c.hash, `${c.chart} (canvas ${i}) did not change`).not.toBe(before[i].hash);
      // a click on the map picks a neuron too
      await page.click("canvas.neuron-map", { position: { x: 5, y: 5 } });
      expect(await title()).toBe("hidden neuron 0 of 12 (0–11)");
      await page.selectOption("#neuron-layer", "output");
      expect(await title()).toBe("output neuron 0 of 10 (0–9)");
    });

    it("shows the representational complexity of the hidden layer", async () => {
      const section = await look(page, "#complexity");
      for (const k of [2, 3, 4]) {
        const row = section.match(
          new RegExp(`subsampled groups of ${k} neurons\\s+(\\S+) ± (\\S+)`),
        );
        expect(row, `row for k = ${k}`).not.toBeNull();
        expect(Number(row?.[1])).toBeGreaterThanOrEqual(1);
        expect(Number(row?.[1])).toBeLessThanOrEqual(k);
      }
    });

    it("has no console errors; screenshot", async () => {
      await screenshot(page, "report.png");
      expect(problems).toEqual([]);
    });
  });

  describe("the live lab", () => {
    let page: Page;

    beforeAll(async () => {
      // A finished goal search of one trial beside the runs (its trial runs are not needed here).
      const config = resolveStudyConfig("goal-study", { trials: 1 }, "test");
      const study = StudyFolder.create(join(runs, "goal-study"), config);
      const zero = Object.fromEntries(Object.keys(config.space).map((a) => [a, 0]));
      study.append({ ask: 0, params: zero, at: "2026-01-01T10:00:00.000Z" });
      study.append({ tell: 0, result: 0.8, at: "2026-01-01T10:05:00.000Z" });
      study.close();
      page = await newPage();
      await page.goto(lab.url);
    });

    it("lists the runs of its folder", async () => {
      await page.waitForSelector('#runs tr[data-run="report-run"]');
      const row = await page.locator('#runs tr[data-run="report-run"]').innerText();
      expect(row).toMatch(/report-run\s+trivariate\s+embedded\s+12\s+2 \/ 2/);
      expect(await page.locator('#runs tr[data-run="report-run"]').getAttribute("data-state")).toBe(
        "finished",
      );
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    });

    it("lists its goal-search studies, each linking to its page", async () => {
      const row = page.locator('#studies tr[data-study="goal-study"]');
      await row.waitFor();
      expect(await row.innerText()).toMatch(/goal-study\s+\w+\s+1 \/ 1\s+80\.0%\s+finished/);
      const href = await row.locator("a").getAttribute("href");
      expect(href).toBe("api/studies/goal-study");
      const studyPage = await newPage();
      await studyPage.goto(new URL(href as string, lab.url).href);
      expect(await studyPage.title()).toBe("infomorph study: goal-study");
      expect(await studyPage.locator("#header").innerText()).toContain("complete of 1");
      await studyPage.close();
    });

    it("starts a training from the page and shows its curve grow", async () => {
      await page.click('nav a[href="#/train"]');
      await page.fill("#train-name", "from-page");
      await page.fill("#train-hidden", "8");
      await page.fill("#train-epochs", "500");
      await page.fill("#train-batch", "256");
      await page.fill("#train-samples", "1024");
      // γ per atom: the preset's goal with one weight moved
      const gamma = '#train-goal .goal-row input[type=number][data-atom="(F)(C)"]';
      await page.fill(gamma, "0.5");
      await page.dispatchEvent(gamma, "change");
      await page.click("#train-start");
      await page.waitForFunction(() => location.hash === "#/run/from-page", null, {
        timeout: 60_000,
      });
      await page.waitForFunction(() => Number(document.body.dataset.epochs) >= 1, null, {
        timeout: 60_000,
      });
      const curve = await growth(page, 'canvas[data-chart="accuracy"]');
      expect(curve.after.hash, "the accuracy curve is redrawn with the new epochs").not.toBe(
        curve.before.hash,
      );
      expect(curve.after.ink).toBeGreaterThan(100);
      expect(await page.locator("#run-status").getAttribute("data-state")).toBe("training");
      const config = readRun(join(runs, "from-page")).config;
      const hidden = config.model.kind === "infomorphic" ? config.model.hidden : null;
      expect(formatGoal(parseGoal(hidden?.goal, { sources: 3, classNames: ["F", "C", "L"] }))).toBe(
        formatGoal(namedGoal("trivariate-opt1")).replace("(F)(C)=0.978", "(F)(C)=0.5"),
      );
      expect(await page.locator("#run-status").innerText()).toMatch(
        /^training \(process \d+, started here\): epoch \d+ of 500$/,
      );
      // the atoms arrive too: every atom chart and the map are drawn
      const atoms = await canvasInk(page, '#atoms canvas[data-chart="atom"]');
      expect(atoms).toHaveLength(24);
      // and the neuron map follows them, epoch by epoch
      await look(page, "#neuron");
      const map = await growth(page, 'canvas[data-chart="neuron-map"]');
      expect(map.after.ink).toBeGreaterThan(100);
      expect(map.after.hash, "the neuron map is redrawn with the new epochs").not.toBe(
        map.before.hash,
      );
    });

    it("stops it (a checkpoint, as Ctrl-C) and resumes it to the end", async () => {
      await page.click("#stop-run");
      await waitForState(page, "run-status", "stopped", 60_000);
      const stopped = readRun(join(runs, "from-page")).epoch;
      expect(stopped).toBeGreaterThanOrEqual(3);
      expect(await page.locator("#run-status").innerText()).toBe(
        `stopped at epoch ${stopped} of 500`,
      );
      await page.fill("#resume-epochs", String(stopped + 2));
      await page.click("#resume-run");
      await waitForState(page, "run-status", "finished", 120_000);
      expect(await page.locator("#run-status").innerText()).toBe(
        `finished: ${stopped + 2} of ${stopped + 2} epochs`,
      );
      expect(readRun(join(runs, "from-page")).epoch).toBe(stopped + 2);
      await page.waitForFunction((e) => Number(document.body.dataset.epochs) === e, stopped + 2);
      // the map of the finished run, and its complexity measured on request
      await look(page, "#neuron");
      expect(await mappedNeurons(page)).toBe(8);
      await look(page, "#complexity");
      await page.click("#measure-complexity");
      await page.waitForSelector("#complexity table", { timeout: 120_000 });
      expect(await look(page, "#complexity")).toMatch(
        /subsampled groups of 2 neurons\s+\d\.\d{3} ± \d\.\d{3}\s+50/,
      );
      await screenshot(page, "lab-run.png");
      expect(problems).toEqual([]);
    });
  });

  describe("training in the page", () => {
    it("moves the goal the worker ascends when a slider moves", async () => {
      const page = await newPage();
      await page.goto(`${lab.url}#/play?n=20&samples=2048&batch=256&epochs=500&seed=3&threads=1`);
      await page.click("#play-start");
      const batches = () =>
        page.evaluate(() => Number(document.getElementById("play-status")?.dataset.batches ?? 0));
      await page.waitForFunction(
        () => Number(document.getElementById("play-status")?.dataset.batches ?? 0) >= 2,
        null,
        { timeout: 60_000 },
      );
      const opt1 = formatGoal(namedGoal("trivariate-opt1"));
      expect(await page.locator("#goal-in-use").getAttribute("data-goal")).toBe(opt1);
      const moved = opt1.replace("(F)(C)=0.978", "(F)(C)=0.25");
      const at = await batches();
      await page.fill('.goal-row input[type=number][data-atom="(F)(C)"]', "0.25");
      await page.dispatchEvent('.goal-row input[type=number][data-atom="(F)(C)"]', "change");
      await page.waitForFunction(
        (goal) => document.getElementById("goal-in-use")?.dataset.goal === goal,
        moved,
        { timeout: 60_000 },
      );
      expect(await batches()).toBeGreaterThan(at);
      expect(await page.locator("#goal-next").getAttribute("data-goal")).toBe(moved);
      // the address holds the new goal, so a shared link starts from it
      expect(decodeURIComponent(new URL(page.url()).hash)).toContain(
        `goal=${moved.replace(/ /g, "+")}`,
      );
      await page.click("#play-stop");
      await waitForState(page, "play-status", "stopped", 60_000);
      const charts = await canvasInk(
        page,
        "#play-curves canvas, #play-atoms canvas, #play-neurons canvas",
      );
      for (const [i, c] of charts.entries())
        expect(c.ink, `canvas ${i} (${c.chart}) is blank`).toBeGreaterThan(100);
      await screenshot(page, "play.png");
      // the exported run holds the goal it ascends now, and when each goal was set
      const download = page.waitForEvent("download");
      await page.click("#play-export");
      const zip = join(root, "steered.zip");
      await (await download).saveAs(zip);
      expect(await cli(["report", zip], io)).toBe(0);
      const run = readRun(join(root, "steered"));
      const changes = (
        run.config as { goalChanges?: { epoch: number; batch: number; goal: string }[] }
      ).goalChanges;
      expect(changes?.map((c) => c.goal)).toEqual(["trivariate-opt1", moved]);
      expect(changes?.[1].epoch).toBeGreaterThanOrEqual(1);
      const hidden = run.config.model.kind === "infomorphic" ? run.config.model.hidden : null;
      expect(formatGoal(parseGoal(hidden?.goal, { sources: 3, classNames: ["F", "C", "L"] }))).toBe(
        moved,
      );
      expect(problems).toEqual([]);
    });

    it("trains on one thread on a static host, without a server and without errors", async () => {
      const host = await staticHost();
      try {
        const page = await newPage();
        const requests: string[] = [];
        page.on("request", (r) => requests.push(new URL(r.url()).pathname));
        await page.goto(`${host.url}#/play?n=6&samples=1024&batch=256&epochs=1&seed=2&threads=4`);
        await page.click("#play-start");
        await waitForState(page, "play-status", "finished", 120_000);
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
        expect(await page.locator("#play-status").innerText()).toContain(
          "wasm-simd kernels on 1 thread;",
        );
        // only the page's own files: it asks no lab API
        expect(requests.filter((p) => !/^\/(assets\/[\w.-]+)?$/.test(p))).toEqual([]);
        expect(await page.locator("nav").innerText()).not.toMatch(/Runs|New training/);
        const charts = await canvasInk(page, "#play-curves canvas, #play-atoms canvas");
        for (const [i, c] of charts.entries())
          expect(c.ink, `canvas ${i} (${c.chart}) is blank`).toBeGreaterThan(100);
        expect(problems).toEqual([]);
        await page.close();
      } finally {
        await new Promise((done) => host.server.close(done));
      }
    });

    it("exports a run that `infomorph report` opens, that the CLI trains alike and resumes (2 threads in the page)", async () => {
      const page = await newPage();
      await page.goto(`${lab.url}#/play?n=10&samples=1024&batch=256&epochs=2&seed=5&threads=2`);
      await page.click("#play-start");
      await waitForState(page, "play-status", "finished", 120_000);
      expect(await page.locator("#play-status").innerText()).toContain(
        "wasm-simd kernels on 2 threads",
      );
      const download = page.waitForEvent("download");
      await page.click("#play-export");
      const zip = join(root, "exported.zip");
      await (await download).saveAs(zip);
      expect(await cli(["report", zip], io)).toBe(0);
      const page_ = readRun(join(root, "exported"));
      const cliDir = join(root, "cli-twin");
      const argv = [
        "--hidden",
        "10",
        "--train-samples",
        "1024",
        "--batch-size",
        "256",
        "--epochs",
        "2",
        "--seed",
        "5",
        "--threads",
        "1",
      ];
      expect(await cli(["train", ...argv, "--out", cliDir], io)).toBe(0);
      const twin = readRun(cliDir);
      // Accuracies and confusion matrices are the CLI's exactly. Values that pass through
      // Math.exp and Math.log2 may differ in their last bits between JavaScript engines
      // (Chromium's V8 and Node's round about 1 in 10 exp results differently), so atoms
      // and goals are compared to 1e-9 (float64) and float32 rounding; the weights as well.
      const strip = (lines: typeof twin.metrics) =>
        lines.map(({ seconds: _, goals: __, ...line }) => line);
      expect(strip(page_.metrics)).toEqual(strip(twin.metrics));
      page_.metrics.forEach((line, i) => {
        (line.goals ?? []).forEach((g, l) =>
          expect(g).toBeCloseTo(twin.metrics[i].goals?.[l] ?? Number.NaN, 9),
        );
      });
      for (const [l, layer] of twin.layers.entries()) {
        expect(maxDifference(page_.layers[l].epochs, layer.epochs), layer.name).toBeLessThan(1e-6);
      }
      expect(maxDifference(floats(page_.state), floats(twin.state))).toBeLessThan(1e-6);
      expect(page_.config.data).toEqual(twin.config.data);
      expect(page_.config.model).toEqual(twin.config.model);
      // and the CLI continues it as its own
      expect(
        await cli(
          ["train", "--resume", join(root, "exported"), "--epochs", "3", "--threads", "1"],
          io,
        ),
      ).toBe(0);
      expect(readRun(join(root, "exported")).epoch).toBe(3);
      expect(problems).toEqual([]);
    });
  });
});
