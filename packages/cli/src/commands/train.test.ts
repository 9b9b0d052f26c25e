import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeState } from "@infomorph/core";
import type { AtomsIndex, MetricLine, RunConfig } from "@infomorph/runs";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_CLI, describeWith } from "../../../../test/prerequisites.js";
import { mnistForTests } from "../../testing/mnist.js";
import { parseFlags } from "../cli/flags.js";
import type { Io, OutStream } from "../cli/output.js";
import { run } from "../main.js";
import { EXIT_INTERRUPTED, trainCommand } from "./train.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-train-"));
/**
 * Tiny settings: 27 batches per epoch. Two epochs of the trivariate preset with 10 hidden
 * neurons reach 20–43 % validation accuracy depending on the seed (seed 1: 43 %).
 */
const TINY = ["--hidden", "10", "--batch-size", "256", "--seed", "1"];

function capture(onWrite?: (text: string) => void): OutStream & { text: string } {
  return {
    text: "",
    write(s: string) {
      this.text += s;
      onWrite?.(s);
      return true;
    },
  };
}

async function cli(...argv: string[]) {
  const io = { stdout: capture(), stderr: capture(), env: {} } satisfies Io;
  const code = await run(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");
const json = <T>(dir: string, name: string) => JSON.parse(read(dir, name)) as T;
const metrics = (dir: string) =>
  read(dir, "metrics.jsonl")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as MetricLine);
/** Metrics without wall-clock times, which differ between runs. */
const timeless = (dir: string) => metrics(dir).map(({ seconds, ...rest }) => rest);
const state = (dir: string) => {
  const { epoch, state } = json<{ epoch: number; state: unknown }>(dir, "checkpoint.json");
  return { epoch, state: decodeState(state) };
};

describe("infomorph train", () => {
  const full = join(root, "full");
  let fullRun: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    fullRun = await cli("train", ...TINY, "--epochs", "2", "--out", full);
  });

  it("trains on the embedded digits and writes a complete run folder", () => {
    expect(fullRun.stderr).toMatch(
      /^training into .*full: trivariate, 10 hidden, embedded \(7000\/1500\/1500\)/,
    );
    expect(fullRun.code).toBe(0);
    for (const name of ["config.json", "metrics.jsonl", "atoms.json", "checkpoint.json"]) {
      expect(existsSync(join(full, name))).toBe(true);
    }

    const config = json<RunConfig>(full, "config.json");
    expect(config.preset).toBe("trivariate");
    expect(config.model.kind).toBe("infomorphic");
    expect(config.training).toEqual({ epochs: 2, batchSize: 256, seed: 1, trainSamples: null });
    expect(config.data).toMatchObject({
      dataset: "embedded",
      dim: 784,
      classes: 10,
      counts: { train: 7000, validation: 1500, test: 1500 },
    });
    expect(config.versions.infomorph).toBe("0.1.0");
    expect(typeof config.kernels).toBe("string");

    const lines = metrics(full);
    expect(lines).toHaveLength(2 * 3);
    expect(lines.map((l) => `${l.epoch}${l.split}`)).toEqual([
      "1train",
      "1validation",
      "1test",
      "2train",
      "2validation",
      "2test",
    ]);
    const last = lines.slice(3);
    // Chance is 10 %; kernels (wasm or ts) may round differently, hence the margin.
    for (const line of last.slice(1)) expect(line.accuracy).toBeGreaterThan(0.25);
    expect(last[0].accuracy).toBeGreaterThan(lines[0].accuracy);
    expect(last[0].goals).toHaveLength(2);
    expect(last[1].confusion).toHaveLength(10);
    expect(last[1].confusion?.flat().reduce((a, b) => a + b)).toBe(1500);

    const atoms = json<AtomsIndex>(full, "atoms.json");
    expect(atoms.epochs).toBe(2);
    expect(atoms.layers.map((l) => [l.name, l.size, l.sources.join("")])).toEqual([
      ["hidden", 10, "FCL"],
      ["output", 10, "FC"],
    ]);
    expect(atoms.layers[1].atoms).toEqual(["{1}", "{2}", "{1}{2}", "{12}"]);
    expect(atoms.layers[1].aliases).toEqual(["(F)", "(C)", "(F)(C)", "(FC)"]);
    expect(atoms.layers[0].atoms).toHaveLength(18);
    for (const layer of atoms.layers) {
      const bytes = statSync(join(full, layer.file)).size;
      expect(bytes).toBe(2 * layer.size * (layer.atoms.length + 1) * 4);
      const file = readFileSync(join(full, layer.file));
      const values = new Float32Array(new Uint8Array(file).buffer);
      expect(values.every(Number.isFinite)).toBe(true);
    }
    expect(state(full).epoch).toBe(2);
  });

  it("prints a plain line per epoch off a terminal and a summary table on stdout", () => {
    const epochLines = fullRun.stderr.split("\n").filter((l) => l.startsWith("epoch "));
    expect(epochLines).toHaveLength(2);
    expect(epochLines[1]).toMatch(
      /^epoch 2\/2 {2}train \d+\.\d% {2}val \d+\.\d% {2}test \d+\.\d% {2}goal -?\d\.\d{3}, -?\d\.\d{3} {2}\d+\.\d s$/,
    );
    expect(fullRun.stdout).toMatch(/^epoch +train +val +test +seconds\n +1 +\d/);
    expect(fullRun.stdout).toMatch(/best validation +\d+\.\d% at epoch [12]\n/);
    expect(fullRun.stdout).toMatch(/test \(last epoch\) +\d+\.\d% at epoch 2\n/);
    expect(fullRun.stdout).toMatch(/seconds per epoch +\d+\.\d\d \(train/);
    expect(fullRun.stdout).toMatch(/peak RSS +\d+ MiB\n$/);
  });

  it("draws a live progress bar per epoch on a terminal", async () => {
    const stderr = Object.assign(capture(), { isTTY: true, columns: 120 });
    const io = { stdout: capture(), stderr, env: {} } satisfies Io;
    const out = join(root, "tty");
    const code = await run(
      ["train", ...TINY, "--epochs", "1", "--train-samples", "1024", "--out", out],
      io,
    );
    expect(code).toBe(0);
    // "\x1b[K" clears the rest of the line.
    const text = stderr.text.replaceAll("\x1b[K", "<clear>");
    expect(text).toMatch(
      /\repoch 1\/1 \[#+-*\] +\d+% [1-4]\/4 {2}acc \d+\.\d% {2}goal -?\d\.\d{3}, -?\d\.\d{3}<clear>/,
    );
    expect(text).toMatch(/\repoch 1\/1 {2}train .* s<clear>\n$/);
  });

  it("resumes to exactly the result of an uninterrupted run", async () => {
    const split = join(root, "split");
    const first = await cli("train", ...TINY, "--epochs", "1", "--out", split);
    expect(first.code).toBe(0);
    expect(metrics(split)).toHaveLength(3);
    const second = await cli("train", "--resume", split, "--epochs", "2");
    expect(second.stderr).toMatch(/^resuming .*split at epoch 2\/2/);
    expect(second.code).toBe(0);
    expect(json<RunConfig>(split, "config.json").training.epochs).toBe(2);
    expect(state(split)).toEqual(state(full));
    expect(timeless(split)).toEqual(timeless(full));
    for (const file of ["atoms-hidden.f32", "atoms-output.f32"]) {
      expect(readFileSync(join(split, file)).equals(readFileSync(join(full, file)))).toBe(true);
    }
    expect(second.stdout).toMatch(/^epoch +train +val +test +seconds\n +1 .*\n +2 /);
  });

  // Workers run the compiled worker script (the global setup builds it).
  describeWith([BUILT_CLI], "on worker threads", () => {
    it("--threads 1 and --threads 2 train to the same bits", async () => {
      // 64 neurons, batches of 256: big enough that products and PID are split over threads.
      const settings = ["--hidden", "64", "--batch-size", "256", "--train-samples", "1024"];
      const dirs = [join(root, "threads-1"), join(root, "threads-2")];
      const runs = [];
      for (const [t, dir] of dirs.entries()) {
        runs.push(
          await cli(
            "train",
            ...settings,
            "--epochs",
            "1",
            "--threads",
            String(t + 1),
            "--out",
            dir,
          ),
        );
      }
      expect(runs[0].stderr).toMatch(/ kernels on 1 thread\n/);
      expect(runs[1].stderr).toMatch(/wasm-simd kernels on 2 threads\n/);
      expect(state(dirs[1])).toEqual(state(dirs[0]));
      expect(timeless(dirs[1])).toEqual(timeless(dirs[0]));
    });
  });

  it("cuts off what a killed run wrote after its last checkpoint", async () => {
    const killed = join(root, "killed");
    await cli("train", ...TINY, "--epochs", "1", "--out", killed);
    // As if SIGKILL hit while epoch 2 was being appended.
    writeFileSync(join(killed, "metrics.jsonl"), `${read(killed, "metrics.jsonl")}{"epoch":2,"spl`);
    writeFileSync(
      join(killed, "atoms-hidden.f32"),
      Buffer.concat([readFileSync(join(killed, "atoms-hidden.f32")), Buffer.alloc(13)]),
    );
    const resumed = await cli("train", "--resume", killed, "--epochs", "2");
    expect(resumed.code).toBe(0);
    expect(state(killed)).toEqual(state(full));
    expect(timeless(killed)).toEqual(timeless(full));
    expect(
      readFileSync(join(killed, "atoms-hidden.f32")).equals(
        readFileSync(join(full, "atoms-hidden.f32")),
      ),
    ).toBe(true);
  });

  it("stops after the current batch on Ctrl-C, says how to resume, and resumes exactly", async () => {
    const stopped = join(root, "stopped");
    // Ctrl-C as soon as epoch 1 is reported; the loop stops in the first batch of epoch 2.
    const stderr = capture((text) => {
      if (text.startsWith("epoch 1/2")) process.emit("SIGINT");
    });
    const io = { stdout: capture(), stderr, env: {} } satisfies Io;
    const args = parseFlags(trainCommand, [...TINY, "--epochs", "2", "--out", stopped]);
    const code = await trainCommand.run(args, io);
    expect(code).toBe(EXIT_INTERRUPTED);
    expect(process.listenerCount("SIGINT")).toBe(0);
    expect(stderr.text).toContain("stopping after this batch");
    expect(stderr.text).toContain(
      `interrupted at epoch 1; resume with: infomorph train --resume ${stopped}\n`,
    );
    expect(state(stopped).epoch).toBe(1);
    expect(metrics(stopped)).toHaveLength(3);
    const resumed = await cli("train", "--resume", stopped);
    expect(resumed.code).toBe(0);
    expect(state(stopped)).toEqual(state(full));
    expect(timeless(stopped)).toEqual(timeless(full));
  });

  it("resuming a finished run trains nothing and says how to extend it", async () => {
    const again = await cli("train", "--resume", full, "--json");
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("already has 2 of 2 epochs; give --epochs N to extend it.");
    const summary = JSON.parse(again.stdout);
    expect(summary.epochs).toHaveLength(2);
    expect(summary.interrupted).toBe(false);
  });

  it("prints only JSON with --json, and honours a config file overridden by flags", async () => {
    const configFile = join(root, "small.yaml");
    writeFileSync(
      configFile,
      `preset: bivariate-context\nhidden: 8\nepochs: 5\nbatchSize: 512\nseed: 2\ntrainSamples: 2000\nout: ${join(root, "from-config")}\n`,
    );
    const result = await cli("train", "--config", configFile, "--epochs", "1", "--json");
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      run: join(root, "from-config"),
      preset: "bivariate-context",
      dataset: "embedded",
      completed: 1,
      target: 1,
      interrupted: false,
      finalTest: { epoch: 1 },
    });
    expect(summary.peakRssBytes).toBeGreaterThan(0);
    const config = json<RunConfig>(join(root, "from-config"), "config.json");
    expect(config.training).toEqual({ epochs: 1, batchSize: 512, seed: 2, trainSamples: 2000 });
    expect(config.hidden).toBe(8);
    expect(config.data.counts.train).toBe(2000);
  });

  it("accepts a complete model config in the config file", async () => {
    const config = json<RunConfig>(full, "config.json");
    const model = {
      ...config.model,
      output: {
        ...(config.model as { output: object }).output,
        goal: "bivariate-context-heuristic",
      },
    };
    const configFile = join(root, "model.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        model,
        epochs: 1,
        batchSize: 512,
        trainSamples: 1000,
        out: join(root, "custom"),
      }),
    );
    const result = await cli("train", "--config", configFile);
    expect(result.stderr).not.toContain("error");
    expect(result.code).toBe(0);
    expect(json<RunConfig>(join(root, "custom"), "config.json").model).toEqual(model);
  });

  it("takes the hidden goal from --goal, a file, or a config key per layer, and stores it", async () => {
    const QUICK = ["--hidden", "8", "--batch-size", "512", "--train-samples", "1000"];
    const hiddenGoal = (dir: string) =>
      (json<RunConfig>(dir, "config.json").model as { hidden: { goal: unknown } }).hidden.goal;
    const outputGoal = (dir: string) =>
      (json<RunConfig>(dir, "config.json").model as { output: { goal: unknown } }).output.goal;

    const typed = join(root, "goal-typed");
    const result = await cli(
      "train",
      ...QUICK,
      "--epochs",
      "1",
      "--out",
      typed,
      "--goal",
      "(F)(C)=1, (F)(L)=-1",
    );
    expect([result.code, result.stderr.includes("error")]).toEqual([0, false]);
    expect(hiddenGoal(typed)).toEqual({ "{1}{2}": 1, "{1}{3}": -1 });
    expect(outputGoal(typed)).toBe("output-layer");

    writeFileSync(join(root, "goal.json"), JSON.stringify({ "(F)(C)(L)": 0.5, H_res: 0.1 }));
    const fromFile = join(root, "goal-file");
    expect(
      (
        await cli(
          "train",
          ...QUICK,
          "--epochs",
          "1",
          "--out",
          fromFile,
          "--goal",
          `@${join(root, "goal.json")}`,
        )
      ).code,
    ).toBe(0);
    expect(hiddenGoal(fromFile)).toEqual({ "{1}{2}{3}": 0.5, H_res: 0.1 });

    const configFile = join(root, "goals.yaml");
    const fromConfig = join(root, "goal-config");
    writeFileSync(join(root, "output-goal.yaml"), "'(F)(C)': 1\n'(F)': -0.2\n");
    writeFileSync(
      configFile,
      `goal: trivariate-heuristic\noutputGoal: "@output-goal.yaml"\nepochs: 1\nout: ${fromConfig}\n`,
    );
    expect((await cli("train", ...QUICK, "--config", configFile)).code).toBe(0);
    expect(hiddenGoal(fromConfig)).toBe("trivariate-heuristic");
    expect(outputGoal(fromConfig)).toEqual({ "{1}": -0.2, "{1}{2}": 1 });
  });

  it("explains a bad goal with where it was given, exit 1", async () => {
    const goalError = async (...argv: string[]) => {
      const r = await cli("train", "--hidden", "8", "--train-samples", "500", ...argv);
      expect([r.code, r.stdout]).toEqual([1, ""]);
      return r.stderr;
    };
    expect(await goalError("--goal", "(F)(C)=1,(F)(X)=1")).toBe(
      'error: --goal: "(F)(X)" is not an atom of a layer with the sources F, C, L. Valid names: (F)(C)(L), (F)(C), (F)(L), (C)(L), (F)(CL), (C)(FL), (L)(FC), (F), (C), (L), (FC)(FL)(CL), (FC)(FL), (FC)(CL), (FL)(CL), (FC), (FL), (CL), (FCL), H_res (or canonical names such as {1}{2}{3}).\n',
    );
    expect(await goalError("--goal", "(F)(C)=one")).toBe(
      'error: --goal: the weight of "(F)(C)" is "one"; every weight must be a finite number.\n',
    );
    expect(await goalError("--goal", "bivariate-context-opt2")).toBe(
      'error: --goal: the goal "bivariate-context-opt2" is for a layer with the sources F, C, but this layer has F, C, L. Named goals for this layer: trivariate-heuristic, trivariate-opt1, trivariate-rounded; or write atom weights such as "(F)(C)=1, (F)=0.1".\n',
    );
    expect(await goalError("--preset", "bivariate-lateral", "--output-goal", "(F)(L)=1")).toBe(
      'error: --output-goal: "(F)(L)" is not an atom of a layer with the sources F, C. Valid names: (F), (C), (F)(C), (FC), H_res (or canonical names such as {1}{2}).\n',
    );
    expect(await goalError("--preset", "readout", "--goal", "(F)(C)=1")).toBe(
      "error: --goal: this model has no hidden layer, so there is no hidden goal to set; set the output layer's goal instead, or pick a preset with a hidden layer such as trivariate.\n",
    );
    const missing = join(root, "missing-goal.json");
    expect(await goalError("--goal", `@${missing}`)).toBe(
      `error: file ${missing} does not exist. Check the path given to --goal.\n`,
    );
    const configFile = join(root, "bad-goal.yaml");
    writeFileSync(configFile, "goal: '(F)=1, (F)=2'\n");
    expect(await goalError("--config", configFile)).toBe(
      `error: ${configFile}: goal: "(F)" is given twice; give each atom one weight.\n`,
    );
    writeFileSync(configFile, "goal: [0, 1]\n");
    expect(await goalError("--config", configFile)).toBe(
      `error: ${configFile}: goal must be a goal: atom weights such as "(F)(C)=1, (F)=0.1", a named goal, a mapping of atom names to weights, or @FILE (got a list).\n`,
    );
    const resumed = await cli("train", "--resume", full, "--goal", "(F)(C)=1");
    expect([resumed.code, resumed.stderr]).toEqual([
      2,
      `error: --goal cannot be given with --resume: a resumed run keeps the settings in ${full}/config.json. Only --epochs, --kernels, --threads, --data-dir and --json may be added.\n`,
    ]);
  });

  it("reports config errors with the file and key, exit 1", async () => {
    const bad = join(root, "train.yaml");
    writeFileSync(bad, "epochs: -1\n");
    expect(await cli("train", "--config", bad)).toEqual({
      code: 1,
      stdout: "",
      stderr: `error: ${bad}: epochs must be a positive integer (got -1).\n`,
    });
    writeFileSync(bad, "epoch: 3\n");
    expect((await cli("train", "--config", bad)).stderr).toBe(
      `error: ${bad}: unknown key "epoch". Valid keys: preset, hidden, epochs, batchSize, seed, dataset, dataDir, out, trainSamples, model, goal, outputGoal.\n`,
    );
    const mismatch = join(root, "mismatch.json");
    const model = { ...json<RunConfig>(full, "config.json").model, inputs: 100 };
    writeFileSync(mismatch, JSON.stringify({ model }));
    expect((await cli("train", "--config", mismatch)).stderr).toBe(
      `error: ${mismatch}: model.inputs is 100 but the dataset embedded has 784. Set model.inputs to 784.\n`,
    );
  });

  it("names a data file or folder that is not there, and a network too large, in CLI terms", async () => {
    const failure = (stderr: string) => ({ code: 1, stdout: "", stderr: `error: ${stderr}\n` });
    const missing = join(root, "missing.csv");
    expect(await cli("train", "--dataset", `csv:${missing}`, "--out", join(root, "m1"))).toEqual(
      failure(
        `the CSV file ${missing} does not exist. Give the path of a CSV file with one sample per line, as csv:PATH.`,
      ),
    );
    expect(await cli("train", "--dataset", `csv:${root}`, "--out", join(root, "m2"))).toEqual(
      failure(
        `the CSV file ${root} is a folder, not a file. Give the path of a CSV file with one sample per line, as csv:PATH.`,
      ),
    );
    const noFolder = join(root, "no-idx");
    expect(await cli("train", "--dataset", `idx:${noFolder}`, "--out", join(root, "m3"))).toEqual(
      failure(
        `idx:${noFolder}: the folder ${noFolder} does not exist. Point idx: at the folder with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz.`,
      ),
    );
    const advice =
      "Use fewer hidden neurons: the papers' networks have 100 to 2000 (--preset trivariate-sparse --hidden 2000 fits).";
    expect(await cli("train", "--hidden", "100000000", "--out", join(root, "m4"))).toEqual(
      failure(
        `--hidden 100000000 does not fit in memory: its weights, optimizer moments and batch buffers need more than the kernels can hold (the WebAssembly kernels have 1 GiB). ${advice}`,
      ),
    );
    // Node 20 refuses the typed array's length, Node 22 and 24 its allocation: one message
    expect(
      await cli("train", "--hidden", "100000000", "--kernels", "ts", "--out", join(root, "m5")),
    ).toEqual(
      failure(
        `--hidden 100000000 does not fit in memory: its weights, optimizer moments and batch buffers need more than the kernels can hold (the JavaScript engine could not allocate them). ${advice}`,
      ),
    );
  });

  it("rejects bad usage with exit 2", async () => {
    expect(await cli("train", "--resume", full, "--seed", "2")).toEqual({
      code: 2,
      stdout: "",
      stderr: `error: --seed cannot be given with --resume: a resumed run keeps the settings in ${full}/config.json. Only --epochs, --kernels, --threads, --data-dir and --json may be added.\n`,
    });
    expect((await cli("train", "--preset", "nope")).code).toBe(2);
    expect(await cli("train", "--threads", "0")).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: --threads must be an integer ≥ 1 (got 0). Try --threads 1.\n",
    });
    expect((await cli("train", "--resume", full, "--epochs", "1")).stderr).toBe(
      `error: --epochs 1 is below the 2 epochs ${full} has already trained. Give --epochs 2 or more, or leave it out.\n`,
    );
    expect((await cli("train", ...TINY, "--epochs", "1", "--out", full)).stderr).toBe(
      `error: ${full} already holds a run. Continue it with --resume ${full}, or choose another --out.\n`,
    );
    expect((await cli("train", "--resume", join(root, "missing"))).stderr).toBe(
      `error: run folder ${join(root, "missing")} does not exist. Give the folder 'infomorph train' printed.\n`,
    );
  });
});

const mnist = mnistForTests();

describe(`infomorph train on MNIST (${mnist.label})`, () => {
  it("learns from 4096 digits in two epochs", async () => {
    const out = join(root, "mnist");
    const configFile = join(root, "mnist.yaml");
    writeFileSync(
      configFile,
      `dataset: mnist\ndataDir: ${mnist.dir}\ntrainSamples: 4096\nhidden: 20\nbatchSize: 128\nepochs: 2\nout: ${out}\n`,
    );
    const result = await cli("train", "--config", configFile);
    expect(result.code, result.stderr).toBe(0);
    const config = json<RunConfig>(out, "config.json");
    const validation = Math.round(mnist.train.count * 0.2);
    expect(config.data.counts).toEqual({ train: 4096, validation, test: mnist.test.count });
    const lines = metrics(out);
    const train = lines.filter((l) => l.split === "train");
    expect(train[1].goals).not.toEqual(train[0].goals);
    // Seed 1 reaches 47 % on validation and test after 64 batches; chance is 10 %.
    for (const line of lines.filter((l) => l.epoch === 2 && l.split !== "train")) {
      expect(line.accuracy).toBeGreaterThan(0.3);
    }
  });
});
