import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { namedGoal } from "@infomorph/core";
import { RunFolder } from "@infomorph/runs";
import { StudyFolder, resolveStudyConfig, trialDir } from "@infomorph/search";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFIG, record } from "../../../runs/testing/fixture.js";
import { call, expectRefused } from "../../testing/http.js";
import type { StudyListEntry } from "../payload.js";
import { type LabServer, startLabServer } from "./lab-server.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-lab-studies-"));
const runs = join(root, "runs");
const outside = join(root, "outside");
const config = resolveStudyConfig("demo", { trials: 3, trial: { seeds: [1] } }, "test");
const tpe1 = namedGoal("trivariate-opt1");
/** tpe_1's weights scaled by k, by alias (H_res is fixed at 0 in the space). */
const params = (k: number) =>
  Object.fromEntries(
    Object.keys(config.space).map((a) => [a, a === "H_res" ? 0 : k * tpe1.weight(a)]),
  );
const at = (minute: number) => `2026-01-01T10:0${minute}:00.000Z`;
const outcome = (value: number) => ({
  value,
  seeds: [{ seed: 1, value, epoch: 3, test: value - 0.01, seconds: 2 }],
});

/** A run folder of `epochs` fake epochs (the run store's fixture), as a trial's seed leaves it. */
function fixtureRun(dir: string, epochs = 3): void {
  const folder = RunFolder.create(dir, CONFIG, { w: new Float32Array([1, 2]) });
  for (let e = 1; e <= epochs; e++) {
    folder.appendEpoch(record(e));
    folder.writeCheckpoint(e, { w: new Float32Array([e, 2]) });
  }
  folder.close();
}

let lab: LabServer;
/** The study's coordinator, as `infomorph search` holds it while it searches. */
let coordinator: StudyFolder;

beforeAll(async () => {
  mkdirSync(runs, { recursive: true });
  mkdirSync(outside);
  fixtureRun(join(runs, "r"));
  // Study "demo", as a coordinator writes it: trial 0 complete (with its run folder), 1 failed, 2 asked.
  coordinator = StudyFolder.create(join(runs, "demo"), config);
  coordinator.append({ ask: 0, params: params(1), at: at(0) });
  coordinator.append({ start: 0, attempt: 1, worker: "w1", at: at(0) });
  fixtureRun(join(trialDir(join(runs, "demo"), 0), "s1"));
  coordinator.append({ tell: 0, result: 0.8, outcome: outcome(0.8), at: at(1) });
  coordinator.append({ ask: 1, params: params(0.5), at: at(1) });
  coordinator.append({ tell: 1, result: "failed", error: "out of memory", at: at(2) });
  coordinator.append({ ask: 2, params: params(0.25), at: at(2) });
  // A study outside the runs folder, linked in: neither listed nor served.
  StudyFolder.create(join(outside, "far"), config).close();
  symlinkSync(join(outside, "far"), join(runs, "far"));
  lab = await startLabServer({ runs, version: "test", runsLabel: "runs" });
});

afterAll(async () => {
  coordinator.close();
  await lab?.close();
});

async function listed(): Promise<{ runs: { name: string }[]; studies: StudyListEntry[] }> {
  const reply = await call(lab, "GET", "/api/runs");
  expect(reply.status).toBe(200);
  return reply.json() as { runs: { name: string }[]; studies: StudyListEntry[] };
}

describe("goal-search studies in the lab", () => {
  it("lists a study beside the runs, its trial runs not loose among them, while it searches", async () => {
    const list = await listed();
    expect(list.runs.map((r) => r.name)).toEqual(["r"]);
    expect(list.studies).toEqual([
      {
        name: "demo",
        sampler: config.sampler.kind,
        trials: { done: 2, asked: 3, total: 3 },
        best: 0.8,
        state: "running",
        message: null,
        started: at(0),
      },
    ]);
  });

  it("serves the study's page as of now, script-less and sandboxed", async () => {
    const page = await call(lab, "GET", "/api/studies/demo");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["content-security-policy"]).toMatch(/^sandbox; default-src 'none';/);
    expect(page.text).toMatch(/^<!doctype html>/);
    expect(page.text).not.toContain("<script");
    expect(page.text).toContain("<title>infomorph study: demo</title>");
    expect(page.text).toContain(`<p class="note">${join("runs", "demo")}</p>`);
    expect(page.text).toContain("<b>80.00 %</b><span>best, trial 0</span>");
    expect(page.text).toContain("<b>1</b><span>complete of 3</span>");
    expect(page.text).toContain("<b>1</b><span>failed</span>");
  });

  it("follows the study: a told trial and a stopped coordinator show on the next request", async () => {
    coordinator.close();
    expect((await listed()).studies[0].state).toBe("stopped");
    coordinator = StudyFolder.open(join(runs, "demo"));
    coordinator.append({ tell: 2, result: 0.85, outcome: outcome(0.85), at: at(3) });
    coordinator.close();
    const study = (await listed()).studies[0];
    expect([study.trials, study.best, study.state]).toEqual([
      { done: 3, asked: 3, total: 3 },
      0.85,
      "finished",
    ]);
    const page = await call(lab, "GET", "/api/studies/demo");
    expect(page.text).toContain("<b>85.00 %</b><span>best, trial 2</span>");
    expect(page.text).toContain("<b>2</b><span>complete of 3</span>");
  });

  it("refuses names that leave the runs folder, and folders that are not studies", async () => {
    const refused = [
      ["/api/studies/..%2Foutside%2Ffar", 400, "a study's name must be 1 to 100 letters"],
      ["/api/studies/.hidden", 400, "a study's name must be 1 to 100 letters"],
      ["/api/studies/far", 403, "study far links outside the runs folder; it is not served."],
      ["/api/studies/r", 404, "there is no study r."],
      ["/api/studies/gone", 404, "there is no study gone."],
      ["/api/studies/demo/trials", 404, "no API route /api/studies/demo/trials."],
      // dot segments in the raw path are resolved by URL parsing: they never reach a study
      ["/api/studies/../../outside/far", 404, "/outside/far is not part of the lab."],
    ] as const;
    await expectRefused(lab, refused, "infomorph study");
  });

  it("off loopback, serves a study's page only with the token", async () => {
    const open = await startLabServer({ runs, host: "0.0.0.0" });
    try {
      const [without, withToken] = await Promise.all(
        [undefined, `Bearer ${open.token}`].map((auth) =>
          call(open, "GET", "/api/studies/demo", {
            headers: {
              Host: `gpu-box.example:${open.port}`,
              ...(auth === undefined ? {} : { Authorization: auth }),
            },
          }),
        ),
      );
      expect([without.status, withToken.status]).toEqual([401, 200]);
      expect(without.json().error).toBe(
        "this lab needs its token: open its address with ?token=… (the address it printed holds a token it made; add one you chose yourself).",
      );
      expect(withToken.text).toContain("<title>infomorph study: demo</title>");
    } finally {
      await open.close();
    }
  });
});
