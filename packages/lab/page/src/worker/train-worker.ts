/**
 * The page's training worker: core and its WebAssembly kernels train a network on the
 * embedded digits here, off the page's thread, with core's own training loop (trainModel),
 * so a run trained in the page is the run `infomorph train` trains with the same settings.
 * Kernel threads join when the page is cross-origin isolated (kernel-thread.ts), else the
 * kernels run on this thread alone; the results are the same bits either way. Goal changes
 * arrive between batches and apply to the next one; every batch reports what the network did.
 */

import digits from "virtual:infomorph-digits";
import {
  type EpochRecord,
  type InfomorphicLayer,
  InfomorphicNetwork,
  type InfomorphicNetworkConfig,
  type Kernels,
  type ModelConfig,
  type SpawnKernelWorker,
  createModel,
  formatGoal,
  hiddenSourceNames,
  lattice,
  parseGoal,
  pickKernels,
  presetConfig,
  trainModel,
  withLayerGoals,
} from "@infomorph/core";
import { type RunConfig, runFolderFiles, writeZip } from "@infomorph/runs/browser";
import { type PlaySplits, embeddedSplits } from "../play/dataset.js";
import { fetchDigits } from "../play/digits.js";
import { LAB_VERSION } from "../version.js";
import type { FromWorker, PlayLayer, PlaySettings, ToWorker } from "./protocol.js";

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  crossOriginIsolated?: boolean;
}

const scope = self as unknown as WorkerScope;
const post = (message: FromWorker, transfer: Transferable[] = []) =>
  scope.postMessage(message, transfer);

/** WebAssembly memory to reserve, MiB: the default first, more when a model does not fit (as the CLI). */
const MEMORY_MIB = [128, 512, 1024];
/** Least time between two weight messages (receptive fields), ms. */
const WEIGHTS_EVERY_MS = 400;

/** A goal change: from this epoch and batch on, the hidden layer ascended `goal`. */
export interface GoalChange {
  epoch: number;
  batch: number;
  goal: string;
}

class Session {
  private readonly records: EpochRecord[] = [];
  private readonly goalChanges: GoalChange[] = [];
  private lastState: unknown;
  private stopRequested = false;
  private running = false;
  /** The atom sums after the last batch, to take each batch's atoms as a difference. */
  private readonly previousSums: Float64Array;
  private lastWeights = 0;
  private epoch = 0;
  private batch = 0;

  private constructor(
    private readonly settings: PlaySettings,
    private readonly splits: PlaySplits,
    private readonly kernels: Kernels,
    private readonly model: InfomorphicNetwork,
  ) {
    this.lastState = model.state();
    this.previousSums = new Float64Array(this.hidden.atomSums.length);
    this.goalChanges.push({ epoch: 1, batch: 1, goal: this.goalText() });
  }

  static async start(settings: PlaySettings): Promise<Session> {
    post({ type: "loading", what: "the embedded digits" });
    const splits = embeddedSplits(
      await fetchDigits(digits.url),
      settings.seed,
      settings.trainSamples,
    );
    post({ type: "loading", what: "the WebAssembly kernels" });
    const config = withLayerGoals(
      presetConfig(settings.preset, { hidden: settings.hidden, inputs: 784, classes: 10 }),
      { hidden: settings.goal },
    );
    if (config.kind !== "infomorphic" || !config.hidden || config.hidden.kind !== "infomorphic") {
      throw new Error(
        `preset ${settings.preset} has no learning hidden layer; pick a trivariate preset.`,
      );
    }
    const { kernels, model } = await build(config, settings);
    return new Session(settings, splits, kernels, model);
  }

  private get hidden(): InfomorphicLayer {
    return this.model.hidden as InfomorphicLayer;
  }

  /** The model's config, with the goals setGoal() set. */
  private get config(): InfomorphicNetworkConfig {
    return this.model.config;
  }

  /** The hidden goal in use, as the CLI's --goal would take it. */
  private goalText(): string {
    const h = this.config.hidden;
    if (!h) return "";
    const names = hiddenSourceNames(h);
    return typeof h.goal === "string" && !h.goal.includes("=")
      ? h.goal
      : formatGoal(parseGoal(h.goal, { sources: names.length, classNames: names }));
  }

  ready(): void {
    const layers: PlayLayer[] = [this.hidden, this.model.output].map((layer, l) => {
      const sources = layer.config.sources.map((s) => s.name);
      const names = layerNames(sources);
      return { name: l === 0 ? "hidden" : "output", size: layer.size, sources, ...names };
    });
    const { train, validation, test } = this.splits;
    post({
      type: "ready",
      kernels: this.kernels.name,
      threads: this.kernels.threads,
      counts: { train: train.count, validation: validation.count, test: test.count },
      layers,
      gamma: this.hidden.gamma,
    });
    this.postWeights();
  }

  async train(epochs: number): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopRequested = false;
    const { batchSize, seed } = this.settings;
    try {
      const result = await trainModel(this.model, this.splits, {
        epochs,
        batchSize,
        seed,
        startEpoch: this.records.length,
        shouldStop: () => this.stopRequested,
        onBatch: (p) => this.onBatch(p),
        onEpoch: (record) => this.onEpoch(record),
      });
      if (result.stopped) {
        // Back to the last completed epoch, as an interrupted CLI run resumes from its checkpoint.
        this.model.restore(this.lastState);
        this.previousSums.fill(0);
        this.hidden.takeAtomMeans();
        this.model.output.takeAtomMeans();
        this.restartChanges();
        post({ type: "stopped", epoch: this.records.length });
      } else {
        post({ type: "finished", epoch: this.records.length });
      }
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    this.stopRequested = true;
  }

  /** Takes effect at the next batch: messages arrive only between batches. */
  setGoal(text: string): void {
    this.model.setGoal("hidden", text);
    post({ type: "goal", gamma: this.hidden.gamma });
    const change = { epoch: this.epoch || 1, batch: this.batch + 1, goal: this.goalText() };
    const last = this.goalChanges.at(-1);
    if (last && last.epoch === change.epoch && last.batch === change.batch) this.goalChanges.pop();
    if (this.goalChanges.at(-1)?.goal !== change.goal) this.goalChanges.push(change);
  }

  exportRun(): void {
    const { train, validation, test } = this.splits;
    const config: RunConfig & { goalChanges: GoalChange[] } = {
      format: 1,
      created: new Date().toISOString(),
      preset: this.settings.preset,
      hidden: this.settings.hidden,
      model: this.config as ModelConfig,
      training: {
        epochs: Math.max(this.settings.epochs, this.records.length),
        batchSize: this.settings.batchSize,
        seed: this.settings.seed,
        trainSamples: this.settings.trainSamples,
      },
      data: {
        dataset: "embedded",
        dataDir: null,
        source: digits.source,
        dim: 784,
        classes: 10,
        counts: { train: train.count, validation: validation.count, test: test.count },
        standardization: this.splits.standardization,
      },
      kernels: this.kernels.name,
      versions: {
        infomorph: LAB_VERSION,
        node: "none (in a browser)",
        platform: navigator.userAgent,
      },
      goalChanges: this.goalChanges.filter((c) => c.epoch <= this.records.length + 1),
    };
    const zip = writeZip(runFolderFiles(config, this.records, this.lastState));
    const name = `${this.settings.preset}-embedded-s${this.settings.seed}-n${this.settings.hidden}-e${this.records.length}`;
    post({ type: "export", name, zip }, [zip.buffer]);
  }

  private onBatch(p: {
    epoch: number;
    batch: number;
    batches: number;
    accuracy: number;
    goals: readonly number[];
  }): void {
    this.epoch = p.epoch;
    this.batch = p.batch;
    const sums = this.hidden.atomSums;
    const atoms = new Float64Array(sums.length);
    for (let i = 0; i < sums.length; i++) atoms[i] = sums[i] - this.previousSums[i];
    this.previousSums.set(sums);
    const now = performance.now();
    post(
      {
        type: "batch",
        epoch: p.epoch,
        batch: p.batch,
        batches: p.batches,
        accuracy: p.accuracy,
        goals: [...p.goals],
        gamma: this.hidden.gamma,
        atoms,
        ms: now - batchStarted,
      },
      [atoms.buffer],
    );
    if (now - this.lastWeights >= WEIGHTS_EVERY_MS) this.postWeights();
    batchStarted = performance.now();
  }

  private onEpoch(record: EpochRecord): void {
    this.records.push(record);
    this.lastState = this.model.state();
    this.previousSums.fill(0);
    post({
      type: "epoch",
      epoch: record.epoch,
      train: record.train.accuracy,
      validation: record.validation.accuracy,
      test: record.test?.accuracy ?? null,
      layers: record.layers.map((l) => ({ name: l.name, atoms: Float64Array.from(l.atoms) })),
    });
    this.postWeights();
    batchStarted = performance.now();
  }

  /** After a stop: changes made in the abandoned batches hold from the retrained epoch's first batch. */
  private restartChanges(): void {
    const next = this.records.length + 1;
    const current = this.goalText();
    while ((this.goalChanges.at(-1)?.epoch ?? 0) >= next && this.goalChanges.length > 1) {
      this.goalChanges.pop();
    }
    if (this.goalChanges.at(-1)?.goal !== current) {
      this.goalChanges.push({ epoch: next, batch: 1, goal: current });
    }
    this.epoch = next;
    this.batch = 0;
  }

  private postWeights(): void {
    this.lastWeights = performance.now();
    const sources = this.hidden.parameters.map((p, j) => ({
      name: this.hidden.config.sources[j].name,
      weights: p.weights.slice(),
    }));
    post(
      { type: "weights", epoch: this.records.length, batch: this.batch, sources },
      sources.map((s) => s.weights.buffer),
    );
  }

  close(): void {
    this.stopRequested = true;
    this.kernels.close();
  }
}

let batchStarted = performance.now();

/** The kernels (threads when the page is cross-origin isolated) and the model on them. */
async function build(
  config: ModelConfig,
  settings: PlaySettings,
): Promise<{ kernels: Kernels; model: InfomorphicNetwork }> {
  const threaded = scope.crossOriginIsolated === true && settings.threads > 1;
  for (const memoryMiB of MEMORY_MIB) {
    const kernels = await pickKernels({
      memoryMiB,
      threads: threaded ? settings.threads : 1,
      spawn: threaded ? spawnKernelThread : undefined,
    });
    try {
      const model = await createModel({
        config,
        capacity: settings.batchSize,
        kernels,
        seed: settings.seed,
      });
      if (!(model instanceof InfomorphicNetwork)) throw new Error("not an infomorphic network");
      return { kernels, model };
    } catch (err) {
      kernels.close();
      const outOfMemory = (err as { code?: string }).code === "kernels/out-of-memory";
      if (!outOfMemory || memoryMiB === MEMORY_MIB.at(-1)) throw err;
    }
  }
  throw new Error("unreachable");
}

const kernelThreads: Worker[] = [];

/** One kernel thread: a module worker that joins the kernels' shared memory. */
const spawnKernelThread: SpawnKernelWorker = (init) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./kernel-thread.ts", import.meta.url), { type: "module" });
    kernelThreads.push(worker);
    worker.onerror = (event) =>
      reject(new Error(event.message || "a kernel thread failed to start"));
    worker.onmessage = () => resolve();
    worker.postMessage(init);
  });

/** Canonical names and aliases of a layer's atoms, then H_res. */
function layerNames(sources: string[]): { names: string[]; aliases: string[] } {
  const lat = lattice(sources.length);
  return {
    names: [...lat.names, "H_res"],
    aliases: [...lat.names.map((_, i) => lat.alias(i, sources)), "H_res"],
  };
}

let session: Session | null = null;

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case "start":
      session?.close();
      for (const worker of kernelThreads.splice(0)) worker.terminate();
      session = null;
      session = await Session.start(message.settings);
      session.ready();
      await session.train(message.settings.epochs);
      return;
    case "set-goal":
      session?.setGoal(message.goal);
      return;
    case "stop":
      session?.stop();
      return;
    case "continue":
      await session?.train(message.epochs);
      return;
    case "export":
      session?.exportRun();
      return;
  }
}

scope.onmessage = (event) => {
  handle(event.data).catch((err: unknown) => {
    post({ type: "error", message: err instanceof Error ? err.message : String(err) });
  });
};
