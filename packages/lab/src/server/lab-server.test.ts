import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  RunFolder,
  decodeBinary,
  decodeState,
  readRun,
  readZip,
  runArchive,
} from "@infomorph/runs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_CLI, describeWith } from "../../../../test/prerequisites.js";
import { CONFIG, record } from "../../../runs/testing/fixture.js";
import { call, expectRefused } from "../../testing/http.js";
import { startTestLab } from "../../testing/lab.js";
import { type LabServer, startLabServer } from "./lab-server.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-lab-server-"));
const runs = join(root, "runs");
const outside = join(root, "outside");

const postJson = (lab: LabServer, path: string, body: unknown) =>
  call(lab, "POST", path, {
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** A run folder of three fake epochs (the run store's fixture), complete and unlocked. */
function fixtureRun(name: string, epochs = 3): string {
  const dir = join(runs, name);
  const folder = RunFolder.create(dir, CONFIG, { w: new Float32Array([1, 2]) });
  for (let e = 1; e <= epochs; e++) {
    folder.appendEpoch(record(e));
    folder.writeCheckpoint(e, { w: new Float32Array([e, 2]) });
  }
  folder.close();
  return dir;
}

let lab: LabServer;

beforeAll(async () => {
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), "not for the page");
  mkdirSync(runs);
  fixtureRun("r");
  symlinkSync(join(outside, "secret.txt"), join(runs, "r", "link.txt"));
  mkdirSync(join(outside, "elsewhere"));
  fixtureRun("moved");
  symlinkSync(join(runs, "moved"), join(outside, "elsewhere", "moved-back")); // harmless: points inside
  symlinkSync(join(outside, "elsewhere"), join(runs, "escape"));
  lab = await startTestLab(runs);
});

afterAll(async () => {
  await lab?.close();
});

describe("the lab server's files", () => {
  it("serves the page with the headers of a cross-origin isolated page", async () => {
    const page = await call(lab, "GET", "/");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/^<!doctype html>/);
    expect(page.headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(page.headers["cross-origin-embedder-policy"]).toBe("require-corp");
    expect(page.headers["content-security-policy"]).toContain(
      "script-src 'self' 'wasm-unsafe-eval'",
    );
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    const asset = await call(lab, "GET", `/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(asset.headers["cross-origin-resource-policy"]).toBe("same-origin");
    expect((await call(lab, "GET", "/assets/nothing.js")).status).toBe(404);
  });

  it("serves a file of a run folder; a report page only sandboxed", async () => {
    const reply = await call(lab, "GET", "/api/runs/r/files/config.json");
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(readFileSync(join(runs, "r", "config.json"), "utf8"));
    expect(reply.headers["content-disposition"]).toBe("attachment");
    writeFileSync(join(runs, "r", "report.html"), "<script>fetch('/api/runs')</script>");
    const page = await call(lab, "GET", "/api/runs/r/files/report.html");
    expect(page.headers["content-security-policy"]).toMatch(/^sandbox allow-scripts;/);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
  });

  it("refuses paths that leave the runs folder: .., absolute paths, symlinks out", async () => {
    const refused = [
      [
        "/api/runs/r/files/..%2F..%2Foutside%2Fsecret.txt",
        400,
        '"../../outside/secret.txt" is not a path inside a run folder (no "..", ".", empty or absolute parts).',
      ],
      ["/api/runs/r/files/%2Fetc%2Fpasswd", 400, '"/etc/passwd" is not a path inside a run folder'],
      ["/api/runs/r/files/sub/.%2F..%2F..", 400, "is not a path inside a run folder"],
      ["/api/runs/..%2Foutside/files/secret.txt", 400, "a run's name must be 1 to 100 letters"],
      [
        "/api/runs/r/files/link.txt",
        403,
        "r/link.txt links outside the runs folder; it is not served.",
      ],
      [
        "/api/runs/escape/files/moved-back/config.json",
        403,
        "run escape links outside the runs folder; it is not served.",
      ],
      ["/api/runs/escape", 403, "run escape links outside the runs folder"],
    ] as const;
    await expectRefused(lab, refused, "not for the page");
    // dot segments in the raw path are resolved by URL parsing: they never reach a run
    const raw = await call(lab, "GET", "/api/runs/r/files/../../../../outside/secret.txt");
    expect(raw.status).toBe(404);
    expect(raw.text).not.toContain("not for the page");
  });

  it("lists the runs, not a folder that links outside", async () => {
    const list = (await call(lab, "GET", "/api/runs")).json() as {
      runs: { name: string; status: { state: string } }[];
    };
    expect(list.runs.map((r) => r.name).sort()).toEqual(["moved", "r"]);
    expect(list.runs[0].status.state).toBe("finished");
  });
});

describe("who may use the lab", () => {
  it("on loopback, answers only pages of loopback hosts and its own origin", async () => {
    const rebound = await call(lab, "GET", "/api/runs", {
      headers: { Host: `evil.example:${lab.port}` },
    });
    expect(rebound.status).toBe(403);
    expect(rebound.json().error).toBe(
      "the Host evil.example is not a loopback address; this lab serves only pages of localhost (start it with --host and a token to serve other machines).",
    );
    const foreign = await call(lab, "GET", "/api/runs", {
      headers: { Origin: "http://evil.example" },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json().error).toBe(
      "requests from http://evil.example are refused: only the lab's own page may use it.",
    );
    const own = await call(lab, "GET", "/api/runs", {
      headers: { Origin: `http://127.0.0.1:${lab.port}` },
    });
    expect(own.status).toBe(200);
    expect(
      (await call(lab, "GET", "/api/runs", { headers: { Host: `localhost:${lab.port}` } })).status,
    ).toBe(200);
  });

  it("refuses to serve other machines without a token", async () => {
    await expect(startLabServer({ runs, host: "0.0.0.0", token: null })).rejects.toThrow(
      "serving on 0.0.0.0 makes the lab reachable from other machines, so it needs a token: leave --token out to get a new one, or give --token SECRET.",
    );
    await expect(startLabServer({ runs, token: "short" })).rejects.toThrow(
      "the token has 5 characters; give at least 16 (or leave --token out for a random one).",
    );
  });

  it("elsewhere, makes a token and answers only requests that carry it", async () => {
    const open = await startLabServer({ runs, host: "0.0.0.0" });
    try {
      const token = open.token as string;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(open.url).toBe(`http://127.0.0.1:${open.port}/?token=${token}`);
      const any = { Host: `gpu-box.example:${open.port}` };
      const none = await call(open, "GET", "/api/runs", { headers: any });
      expect(none.status).toBe(401);
      expect(none.json().error).toBe(
        "this lab needs its token: open its address with ?token=… (the address it printed holds a token it made; add one you chose yourself).",
      );
      const wrong = await call(open, "GET", "/api/runs", {
        headers: { ...any, Authorization: `Bearer ${token}x` },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.text).not.toContain(token);
      expect((await call(open, "GET", "/", { headers: any })).status).toBe(401);
      const bearer = await call(open, "GET", "/api/runs", {
        headers: { ...any, Authorization: `Bearer ${token}` },
      });
      expect(bearer.status).toBe(200);
      // the printed address: the token moves into a cookie, and the address loses it
      const visit = await call(open, "GET", `/?token=${token}`, { headers: any });
      expect(visit.status).toBe(303);
      expect(visit.headers.location).toBe("/");
      const cookie = (visit.headers["set-cookie"] ?? [])[0];
      expect(cookie).toBe(`infomorph-lab-token=${token}; HttpOnly; SameSite=Strict; Path=/`);
      const page = await call(open, "GET", "/", {
        headers: { ...any, Cookie: cookie.split(";")[0] },
      });
      expect(page.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe("bad requests", () => {
  it("get 400 with a message that names the field and the fix", async () => {
    const cases: [string, unknown, string][] = [
      ["/api/trainings", "{", "the body is not valid JSON: "],
      ["/api/trainings", [], 'the body must be a JSON object such as {"name": "demo"'],
      [
        "/api/trainings",
        {},
        'name must be 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit (got undefined).',
      ],
      ["/api/trainings", { name: "a b" }, '(got "a b")'],
      [
        "/api/trainings",
        { name: "x", colour: 1 },
        'unknown field "colour"; a training takes name, preset, dataset, goal, outputGoal, hidden, epochs, batchSize, seed, trainSamples.',
      ],
      ["/api/trainings", { name: "x", preset: "deep" }, "preset must be one of trivariate, "],
      [
        "/api/trainings",
        { name: "x", dataset: "csv:/etc/passwd" },
        'dataset must be one of embedded, mnist, fashion-mnist (got "csv:/etc/passwd").',
      ],
      [
        "/api/trainings",
        { name: "x", hidden: 0, epochs: 1 },
        "hidden must be an integer from 1 to 10000 (got 0).",
      ],
      [
        "/api/trainings",
        { name: "x", hidden: 5 },
        "epochs is missing; give an integer from 1 to 100000.",
      ],
      [
        "/api/trainings",
        { name: "x", hidden: 5, epochs: 2.5 },
        "epochs must be an integer from 1 to 100000 (got 2.5).",
      ],
      [
        "/api/trainings",
        { name: "x", hidden: 5, epochs: 1, goal: "(F)(X)=1" },
        'goal: "(F)(X)" is not an atom of a layer with the sources F, C, L. Valid names: (F)(C)(L), (F)(C),',
      ],
      [
        "/api/trainings",
        { name: "x", hidden: 5, epochs: 1, goal: "@/etc/passwd" },
        "goal: a goal file (@FILE) cannot be given from the page; write the weights.",
      ],
      [
        "/api/trainings",
        { name: "x", preset: "backprop", hidden: 5, epochs: 1, goal: "(F)=1" },
        "preset backprop has no hidden layer that learns a goal; leave goal out.",
      ],
      [
        "/api/runs/r/resume",
        { epochs: "x" },
        'epochs must be an integer from 1 to 100000 (got "x").',
      ],
      [
        "/api/runs/r/resume",
        { epochs: 2 },
        "epochs 2 is below the 3 epochs run r has already trained; give 3 or more.",
      ],
      ["/api/runs/r/resume", { steps: 2 }, 'unknown field "steps"; resume takes only epochs.'],
    ];
    for (const [path, body, message] of cases) {
      const reply = await postJson(lab, path, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json().error, JSON.stringify(body)).toContain(message);
    }
    const text = await call(lab, "POST", "/api/trainings", {
      headers: { "Content-Type": "text/plain" },
      body: "{}",
    });
    expect(text.status).toBe(400);
    expect(text.json().error).toBe(
      'send the body as Content-Type: application/json (got "text/plain").',
    );
    const events = await call(lab, "GET", "/api/runs/r/events?metrics=-1");
    expect(events.status).toBe(400);
    expect(events.json().error).toBe(
      'metrics must be an integer ≥ 0 (got "-1"); continue from the offsets the run\'s payload gave.',
    );
    const atoms = await call(lab, "GET", "/api/runs/r/events?metrics=0&line=1&atoms=0,x");
    expect(atoms.json().error).toContain('atoms[1] must be an integer ≥ 0 (got "x")');
    const notZip = await call(lab, "POST", "/api/import?name=imported", { body: "hello" });
    expect(notZip.status).toBe(400);
    expect(notZip.json().error).toBe(
      "imported.zip is not a zip archive this can read: no end-of-archive record (not a zip file, or cut short). Export the run again, or unzip it and give the folder.",
    );
    expect((await call(lab, "DELETE", "/api/runs")).status).toBe(405);
    expect((await postJson(lab, "/api/runs/r/stop", {})).status).toBe(409);
    expect((await call(lab, "GET", "/api/runs/nothing")).status).toBe(404);
  });

  it("says why a training process failed, in its own words", async () => {
    const failing = await startLabServer({
      runs,
      trainCommand: [
        process.execPath,
        "-e",
        "console.error('error: the digits are gone. Reinstall infomorph.'); process.exit(1)",
      ],
    });
    try {
      const reply = await postJson(failing, "/api/trainings", {
        name: "fails",
        hidden: 4,
        epochs: 1,
      });
      expect(reply.status).toBe(400);
      expect(reply.json().error).toBe("the digits are gone. Reinstall infomorph.");
    } finally {
      await failing.close();
    }
  });
  it("passes its token to no training it starts", async () => {
    const script =
      "console.error('error: token ' + (process.env.INFOMORPH_LAB_TOKEN ?? 'absent')); process.exit(1)";
    process.env.INFOMORPH_LAB_TOKEN = "a-token-from-the-environment";
    const lab2 = await startLabServer({ runs, trainCommand: [process.execPath, "-e", script] });
    try {
      const reply = await postJson(lab2, "/api/trainings", { name: "env", hidden: 4, epochs: 1 });
      expect(reply.json().error).toBe("token absent");
    } finally {
      Reflect.deleteProperty(process.env, "INFOMORPH_LAB_TOKEN");
      await lab2.close();
    }
  });
});

describe("runs as they train", () => {
  it("sends the payload with the offsets where the event stream continues", async () => {
    const payload = (await call(lab, "GET", "/api/runs/r")).json() as {
      epoch: number;
      live: {
        cursor: { metrics: { offset: number; line: number }; atoms: number[] };
        status: { state: string };
      };
    };
    expect(payload.epoch).toBe(3);
    expect(payload.live.cursor).toEqual({
      metrics: { offset: readFileSync(join(runs, "r", "metrics.jsonl")).length, line: 10 },
      atoms: [3 * 3 * 19 * 4, 3 * 2 * 5 * 4],
    });
    expect(payload.live.status.state).toBe("finished");
  });

  it("sends the same payload as raw bytes to a page that asks for them", async () => {
    const json = decodeState((await call(lab, "GET", "/api/runs/r")).json());
    const binary = await new Promise<Buffer>((done) => {
      request(
        {
          host: "127.0.0.1",
          port: lab.port,
          path: "/api/runs/r",
          headers: { Host: `127.0.0.1:${lab.port}`, Accept: "application/octet-stream" },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => done(Buffer.concat(chunks)));
        },
      ).end();
    });
    const bytes = new Uint8Array(binary).slice().buffer;
    expect(decodeBinary(bytes)).toEqual(json);
  });

  it("streams what a run appends, from the page's offsets", async () => {
    const dir = join(runs, "growing");
    const folder = RunFolder.create(dir, CONFIG, {});
    folder.appendEpoch(record(1));
    folder.writeCheckpoint(1, {});
    const payload = (await call(lab, "GET", "/api/runs/growing")).json() as {
      live: { cursor: { metrics: { offset: number; line: number }; atoms: number[] } };
    };
    const { metrics, atoms } = payload.live.cursor;
    const events = openStream(
      lab,
      `/api/runs/growing/events?metrics=${metrics.offset}&line=${metrics.line}&atoms=${atoms.join(",")}`,
    );
    const first = await events.next("status");
    expect(first.data).toMatchObject({ state: "training", pid: process.pid, startedHere: false });
    folder.appendEpoch(record(2));
    folder.writeCheckpoint(2, {});
    const lines = await events.next("metrics");
    expect(
      (lines.data as { lines: { epoch: number; split: string }[] }).lines.map(
        (l) => `${l.epoch}${l.split}`,
      ),
    ).toEqual(["2train", "2validation", "2test"]);
    const hidden = (await events.next("atoms")).data as {
      layer: number;
      values: { dtype: string; base64: string };
      offset: number;
    };
    expect(hidden.layer).toBe(0);
    expect(hidden.offset).toBe(2 * 3 * 19 * 4);
    const values = new Float32Array(
      new Uint8Array(Buffer.from(hidden.values.base64, "base64")).buffer,
    );
    expect(values).toEqual(Float32Array.from(record(2).layers[0].atoms));
    expect(((await events.next("checkpoint")).data as { epoch: number }).epoch).toBe(2);
    folder.close();
    expect(((await events.next("status")).data as { state: string }).state).toBe("stopped");
    events.close();
  });

  it("frees every watcher and file handle when 100 pages connect and go away", async () => {
    const fds = () => readdirSync("/proc/self/fd").length;
    const query = "/api/runs/r/events?metrics=0&line=1&atoms=0,0";
    // one round first, so that lazily created handles (timers, the loop's own) exist before counting
    const warm = openStream(lab, query);
    await warm.next("metrics");
    warm.close();
    await settle(() => openStreams(lab) === 0);
    const before = fds();
    for (let round = 0; round < 10; round++) {
      const batch = Array.from({ length: 10 }, () => openStream(lab, query));
      await Promise.all(batch.map((s) => s.next("atoms"))); // each has read the files once
      for (const s of batch) s.close();
    }
    await settle(() => openStreams(lab) === 0 && fds() === before);
    expect(openStreams(lab)).toBe(0);
    expect(fds()).toBe(before);
  });
});

describeWith([BUILT_CLI], "trainings started from the API (the built CLI)", () => {
  it("starts, stops with a checkpoint, resumes and finishes a training", async () => {
    const body = {
      name: "api-run",
      preset: "trivariate",
      dataset: "embedded",
      hidden: 6,
      epochs: 200,
      batchSize: 256,
      trainSamples: 512,
    };
    const started = await postJson(lab, "/api/trainings", body);
    expect(started.status).toBe(202);
    expect(started.json()).toMatchObject({ name: "api-run", state: "training" });
    const entry = async () =>
      (
        (await call(lab, "GET", "/api/runs")).json() as {
          runs: {
            name: string;
            epochs: { completed: number };
            status: { state: string; startedHere: boolean };
          }[];
        }
      ).runs.find((r) => r.name === "api-run");
    await settle(async () => ((await entry())?.epochs.completed ?? 0) >= 1, 120_000);
    expect((await entry())?.status).toMatchObject({ state: "training", startedHere: true });
    expect((await postJson(lab, "/api/trainings", body)).status).toBe(409);
    expect((await postJson(lab, "/api/runs/api-run/stop", {})).status).toBe(202);
    await settle(async () => (await entry())?.status.state === "stopped", 120_000);
    const stopped = (await entry())?.epochs.completed ?? 0;
    expect(stopped).toBeGreaterThanOrEqual(1);
    expect(stopped).toBeLessThan(200);
    const resumed = await postJson(lab, "/api/runs/api-run/resume", { epochs: stopped + 1 });
    expect(resumed.status).toBe(202);
    await settle(async () => (await entry())?.status.state === "finished", 120_000);
    expect((await entry())?.epochs.completed).toBe(stopped + 1);
    const log = (await call(lab, "GET", "/api/runs/api-run/log")).json() as {
      log: string;
      exit: { code: number };
    };
    expect(log.exit.code).toBe(0);
    expect(log.log).toContain(
      `resuming ${join(runs, "api-run")} at epoch ${stopped + 1}/${stopped + 1}`,
    );
  });

  it("sends the trained run's weights, complexity and archive", async () => {
    const weights = decodeState((await call(lab, "GET", "/api/runs/api-run/weights")).json()) as {
      epoch: number;
      layers: Record<string, { name: string; inputs: number; weights: Float32Array }[]>;
    };
    const run = readRun(join(runs, "api-run"));
    expect(weights.epoch).toBe(run.epoch);
    const state = run.state as { hidden: { parameters: { weights: Float32Array }[] } };
    expect(weights.layers.hidden.map((s) => [s.name, s.inputs])).toEqual([
      ["F", 784],
      ["C", 10],
      ["L", 6],
    ]);
    expect(weights.layers.hidden[0].weights).toEqual(state.hidden.parameters[0].weights);
    const complexity = (await call(lab, "GET", "/api/runs/api-run/complexity")).json() as {
      skipped: string | null;
      groups: { size: number; mean: number | null }[];
    };
    expect(complexity.skipped).toBeNull();
    expect(complexity.groups.map((g) => g.size)).toEqual([2, 3, 4]);
    const zip = await new Promise<Buffer>((done) => {
      request(
        {
          host: "127.0.0.1",
          port: lab.port,
          path: "/api/runs/api-run/archive",
          headers: { Host: `127.0.0.1:${lab.port}` },
        },
        (res) => {
          expect(res.headers["content-disposition"]).toBe('attachment; filename="api-run.zip"');
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => done(Buffer.concat(chunks)));
        },
      ).end();
    });
    expect(
      readZip(new Uint8Array(zip), "api-run.zip")
        .map((e) => e.name)
        .sort(),
    ).toEqual([
      "atoms-hidden.f32",
      "atoms-output.f32",
      "atoms.json",
      "checkpoint.json",
      "config.json",
      "metrics.jsonl",
    ]);
    const without = await startLabServer({ runs });
    try {
      const refused = await call(without, "GET", "/api/runs/api-run/complexity");
      expect(refused.status).toBe(501);
      expect(refused.json().error).toBe(
        "this lab cannot measure complexity (it has no access to the runs' datasets).",
      );
    } finally {
      await without.close();
    }
  });

  it("imports an exported run and serves it", async () => {
    const zip = runArchive(join(runs, "r"));
    const reply = await call(lab, "POST", "/api/import?name=imported-r", {
      headers: { "Content-Type": "application/zip" },
      body: zip,
    });
    expect(reply.status).toBe(201);
    expect((await call(lab, "GET", "/api/runs/imported-r")).json()).toMatchObject({
      name: "imported-r",
      epoch: 3,
    });
    const again = await call(lab, "POST", "/api/import?name=imported-r", { body: zip });
    expect(again.status).toBe(409);
  });
});

/** The number of event streams the lab holds open. */
function openStreams(server: LabServer): number {
  return (server as unknown as { streamCount(): number }).streamCount();
}

async function settle(done: () => boolean | Promise<boolean>, timeout = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > timeout) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An event stream read event by event. */
function openStream(server: LabServer, path: string) {
  const queue: { event: string; data: unknown }[] = [];
  const waiting: { event: string; resolve: (e: { event: string; data: unknown }) => void }[] = [];
  let buffer = "";
  const req = request(
    { host: "127.0.0.1", port: server.port, path, headers: { Host: `127.0.0.1:${server.port}` } },
    (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) {
            const item = { event, data: JSON.parse(data) };
            const w = waiting.findIndex((x) => x.event === event);
            if (w >= 0) waiting.splice(w, 1)[0].resolve(item);
            else queue.push(item);
          }
          end = buffer.indexOf("\n\n");
        }
      });
    },
  );
  req.on("error", () => {});
  req.end();
  return {
    next(event: string): Promise<{ event: string; data: unknown }> {
      const i = queue.findIndex((x) => x.event === event);
      if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0]);
      return new Promise((resolve) => waiting.push({ event, resolve }));
    },
    close() {
      req.destroy();
    },
  };
}
