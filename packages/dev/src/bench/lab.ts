/**
 * The lab page's speed, in Debian's Chromium (playwright-core), served by the lab server on
 * loopback:
 *
 *   npm run bench -- lab-render [RUN]  first render of a run (default: a 100-epoch N = 500
 *                                      trivariate run, trained into runs/bench/lab-n500-e100
 *                                      on first use: 1024 training digits per epoch)
 *   npm run bench -- lab-live [RUN]    live updates: an epoch of every neuron's atoms (N × 19
 *                                      for the hidden layer) added and the run view redrawn,
 *                                      once per animation frame, for 5 s, with the atom bands
 *                                      and then the neuron map in sight
 *   npm run bench -- lab-train         in-page training, N = 100 on 5000 digits, batch 1024,
 *                                      in the page's worker on 1 thread (and on 2)
 *
 * Each prints JSON lines; none asserts a time.
 */

import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { type LabServer, startLabServer } from "@infomorph/lab";
import { readRun } from "@infomorph/runs";
import { run as cli } from "infomorph";
import { type Browser, type Page, chromium } from "playwright-core";
import type { Emit } from "./lines.js";
import { median, round } from "./stats.js";

const CHROMIUM = "/usr/bin/chromium";
/** The default run of lab-render and lab-live. */
const DEFAULT_RUN = "runs/bench/lab-n500-e100";
const TRAIN = [
  "--preset",
  "trivariate",
  "--hidden",
  "500",
  "--epochs",
  "100",
  "--train-samples",
  "1024",
  "--batch-size",
  "1024",
  "--seed",
  "1",
  "--threads",
  "1",
];
const RENDERS = 7;
const LIVE_SECONDS = 5;

/** The run to show: `dir`, trained first when it holds no finished run. */
async function benchRun(dir: string, log: (text: string) => void): Promise<string> {
  const done = existsSync(join(dir, "checkpoint.json")) && readRun(dir).epoch >= 100;
  if (!done && dir === DEFAULT_RUN) {
    log(`training ${dir} (N = 500, 100 epochs of 1024 digits; once, a few minutes)…\n`);
    const resume = existsSync(join(dir, "checkpoint.json"));
    const argv = resume ? ["train", "--resume", dir] : ["train", ...TRAIN, "--out", dir];
    const quiet = { write: () => true };
    const code = await cli(argv, {
      stdout: quiet,
      stderr: {
        write: (t: string) => {
          log(t);
          return true;
        },
      },
      env: process.env,
    });
    if (code !== 0) throw new Error(`training ${dir} failed (exit ${code})`);
  }
  return dir;
}

interface Session {
  browser: Browser;
  lab: LabServer;
  close(): Promise<void>;
}

async function session(runs: string): Promise<Session> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing; install it with apt-get install -y chromium`);
  const lab = await startLabServer({ runs, version: "bench" });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  return {
    browser,
    lab,
    async close() {
      await browser.close();
      await lab.close();
    },
  };
}

async function open(s: Session, hash: string): Promise<Page> {
  const page = await s.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (err) => process.stderr.write(`page error: ${err.message}\n`));
  await page.goto(`${s.lab.url}${hash}`);
  return page;
}

/**
 * First render: from a page's navigation to the run view drawn (body[data-ready]), each in a
 * fresh page. "Cold": a new lab server each time, which must read and encode the run; "warm":
 * the same server, which keeps the run's payload while the folder is unchanged.
 */
export async function benchLabRender(emit: Emit, args: readonly string[] = []): Promise<void> {
  const dir = resolve(await benchRun(args[0] ?? DEFAULT_RUN, (t) => process.stderr.write(t)));
  const name = dir.split("/").pop() as string;
  const run = readRun(dir);
  for (const mode of ["cold", "warm"] as const) {
    let s = await session(join(dir, ".."));
    const times: number[] = [];
    const phases: Record<string, number>[] = [];
    try {
      for (let r = 0; r <= RENDERS; r++) {
        if (mode === "cold" && r > 0) {
          await s.close();
          s = await session(join(dir, ".."));
        }
        const page = await open(s, `#/run/${name}`);
        await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
        // the page's marks, ms since its navigation started: payload fetched, decoded, view drawn
        const marks = await page.evaluate(() =>
          Object.fromEntries(
            performance.getEntriesByType("mark").map((m) => [m.name, m.startTime]),
          ),
        );
        await page.close();
        if (r === 0) continue; // warms the browser's caches (and, warm, the server's)
        phases.push(marks);
        times.push(marks["lab:drawn"]);
      }
      const sent = await fetch(`http://127.0.0.1:${s.lab.port}/api/runs/${name}`, {
        headers: { Accept: "application/octet-stream" },
      });
      const bytes = (await sent.arrayBuffer()).byteLength;
      emit({
        bench: "lab-render",
        case: `first render, ${mode} lab, ${run.config.preset} N = ${run.config.hidden}, ${run.epoch} epochs`,
        times,
        payloadMiB: round(bytes / 2 ** 20),
        fetchedMs: round(median(phases.map((p) => p["lab:fetched"]))),
        decodedMs: round(median(phases.map((p) => p["lab:decoded"]))),
        chromium: s.browser.version(),
      });
    } finally {
      await s.close();
    }
  }
}

/** Live updates: one synthetic epoch per animation frame through the view's update path. */
export async function benchLabLive(emit: Emit, args: readonly string[] = []): Promise<void> {
  const dir = resolve(await benchRun(args[0] ?? DEFAULT_RUN, (t) => process.stderr.write(t)));
  const s = await session(join(dir, ".."));
  try {
    const name = dir.split("/").pop() as string;
    // Sections out of sight are redrawn only when they come into it: measure with the atom
    // bands in sight, and with the neuron map (and the neuron below it) in sight.
    for (const [section, what] of [
      ["#atoms", "the atom bands"],
      ["#neuron", "the neuron map and one neuron"],
    ] as const) {
      const page = await open(s, `#/run/${name}`);
      await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
      await page.locator(section).evaluate((e) => e.scrollIntoView());
      await page.waitForTimeout(300);
      const result = await page.evaluate(async (seconds) => {
        type Layer = {
          size: number;
          stride: number;
          epochs: Float32Array[];
          addEpochs(e: Float32Array[]): void;
        };
        const view = (
          globalThis as unknown as {
            infomorphLab: {
              view: {
                data: {
                  layers: Layer[];
                  addMetrics(l: unknown[]): void;
                  curves(): { epochs: number[] };
                };
                updateNow(): void;
              };
            };
          }
        ).infomorphLab.view;
        const data = view.data;
        const hidden = data.layers[0];
        let epoch = data.curves().epochs.length;
        const ms: number[] = [];
        let frames = 0;
        const start = performance.now();
        await new Promise<void>((done) => {
          const frame = () => {
            const t0 = performance.now();
            epoch++;
            for (const layer of data.layers) {
              // the newest epoch, nudged, as the next one
              const next = layer.epochs[layer.epochs.length - 1].map(
                (v, i) => v * (1 + 0.01 * Math.sin(epoch + i)),
              );
              layer.addEpochs([next]);
            }
            const times = { train: 1, evaluate: 1 };
            data.addMetrics([
              { epoch, split: "train", accuracy: 0.9, goals: [0.1, 0.2], seconds: times },
              { epoch, split: "validation", accuracy: 0.9, seconds: times },
            ]);
            view.updateNow();
            ms.push(performance.now() - t0);
            frames++;
            if (performance.now() - start < seconds * 1000) requestAnimationFrame(frame);
            else done();
          };
          requestAnimationFrame(frame);
        });
        return {
          frames,
          seconds: (performance.now() - start) / 1000,
          ms,
          neurons: hidden.size,
          values: hidden.stride,
          epochs: epoch,
        };
      }, LIVE_SECONDS);
      await page.close();
      emit({
        bench: "lab-live",
        case: `live update of ${result.neurons} neurons × ${result.values} values, ${what} in sight`,
        times: result.ms,
        framesPerSecond: round(result.frames / result.seconds, 1),
        frames: result.frames,
        epochsAtEnd: result.epochs,
        chromium: s.browser.version(),
      });
    }
  } finally {
    await s.close();
  }
}

/** In-page training: batches per second of the page's worker, N = 100, 5000 digits. */
export async function benchLabTrain(emit: Emit): Promise<void> {
  const runs = resolve("runs/bench");
  mkdirSync(runs, { recursive: true });
  const s = await session(runs);
  try {
    for (const threads of [1, 2]) {
      const page = await open(
        s,
        `#/play?n=100&samples=5000&batch=1024&epochs=4&seed=1&threads=${threads}`,
      );
      await page.click("#play-start");
      await page.waitForFunction(
        () => document.getElementById("play-status")?.dataset.state === "finished",
        null,
        {
          timeout: 600_000,
        },
      );
      const stats = await page.evaluate(() => {
        const view = (
          globalThis as unknown as {
            infomorphLab: {
              view: {
                stats: {
                  batchMs: number[];
                  batches: number;
                  firstBatchAt: number;
                  lastBatchAt: number;
                };
              };
            };
          }
        ).infomorphLab.view;
        return view.stats;
      });
      const status = await page.locator("#play-status").innerText();
      await page.close();
      const seconds = (stats.lastBatchAt - stats.firstBatchAt) / 1000;
      emit({
        bench: "lab-train",
        case: `in-page training, trivariate N = 100, 5000 digits, batch 1024, ${threads} thread${threads === 1 ? "" : "s"}`,
        times: stats.batchMs.slice(5), // the first epoch's batches warm the engine
        batchesPerSecond: round(1000 / median(stats.batchMs.slice(5)), 1),
        batchesPerSecondWithEvaluation: round((stats.batches - 1) / seconds, 1),
        kernels: /wasm-simd|ts/.exec(status)?.[0] ?? "?",
        chromium: s.browser.version(),
      });
    }
  } finally {
    await s.close();
  }
}
