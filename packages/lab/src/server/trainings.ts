/**
 * Trainings the lab starts: `infomorph train … --out RUNS/<name>` (or `--resume`) as child
 * processes writing ordinary run folders. Stop sends SIGINT, which the CLI answers as it does
 * Ctrl-C: it finishes the batch and keeps the last checkpoint. The lab never starts a shell:
 * the arguments go to the process as they are.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CHECKPOINT_FILE, RunLock } from "@infomorph/runs";
import { HttpError } from "./http-error.js";
import { TOKEN_ENV } from "./security.js";

/** Output kept per training (the end of stdout and stderr together), characters. */
const LOG_CHARS = 64 * 1024;
/** How long a start waits for the process to take its run folder before answering "starting". */
const READY_MS = 15_000;
/** How long close() waits for stopped trainings before it kills them. */
const CLOSE_MS = 20_000;
/** Exit code of the CLI after Ctrl-C / SIGINT (128 + 2): a stop, not a failure. */
const EXIT_INTERRUPTED = 130;

export interface Training {
  readonly name: string;
  readonly dir: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The process holds the run's lock (its folder is set up). */
  writing: boolean;
  /** How it ended; null while it runs. */
  exit: { code: number | null; failed: boolean; message: string | null } | null;
  /** The end of its output. */
  log: string;
}

export class Trainings {
  private readonly byName = new Map<string, Training>();

  /**
   * `command`: how to run the infomorph CLI, e.g. [process.execPath, ".../bin/infomorph.js"];
   * `threads`: --threads for every training (undefined: the CLI's default, every core).
   */
  constructor(
    private readonly root: string,
    private readonly command: readonly string[],
    private readonly threads?: number,
  ) {}

  names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): Training | undefined {
    return this.byName.get(name);
  }

  /** Whether this lab runs a training of `name` now. */
  running(name: string): boolean {
    const t = this.byName.get(name);
    return t !== undefined && t.exit === null;
  }

  /**
   * Start `infomorph train ARGS --out RUNS/name` and wait until it has set up its run folder
   * (or READY_MS); a process that fails first is a 400 with the CLI's own error sentence.
   */
  start(name: string, args: readonly string[]): Promise<Training> {
    return this.launch(name, ["train", ...args, "--out", join(this.root, name)]);
  }

  /** `infomorph train --resume RUNS/name [--epochs N]`, waited for as start() is. */
  resume(name: string, epochs?: number): Promise<Training> {
    const args = ["train", "--resume", join(this.root, name)];
    if (epochs !== undefined) args.push("--epochs", String(epochs));
    return this.launch(name, args);
  }

  /** Ask the training of `name` to stop after its batch (SIGINT, as Ctrl-C). */
  stop(name: string): void {
    const t = this.byName.get(name);
    if (!t || t.exit !== null) {
      throw new HttpError(
        409,
        `run ${name} is not being trained by this lab, so there is nothing to stop.`,
      );
    }
    t.child.kill("SIGINT");
  }

  /** Stop every training (SIGINT), wait for them to checkpoint, kill what is left after CLOSE_MS. */
  async close(): Promise<void> {
    const running = [...this.byName.values()].filter((t) => t.exit === null);
    for (const t of running) t.child.kill("SIGINT");
    await Promise.all(
      running.map(
        (t) =>
          new Promise<void>((done) => {
            if (t.exit !== null) return done();
            const timer = setTimeout(() => t.child.kill("SIGKILL"), CLOSE_MS);
            t.child.once("exit", () => {
              clearTimeout(timer);
              done();
            });
          }),
      ),
    );
  }

  private async launch(name: string, args: readonly string[]): Promise<Training> {
    if (this.running(name))
      throw new HttpError(409, `run ${name} is already being trained by this lab.`);
    const dir = join(this.root, name);
    const threads = this.threads === undefined ? [] : ["--threads", String(this.threads)];
    const [program, ...prefix] = this.command;
    const child = spawn(program, [...prefix, ...args, ...threads], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...withoutToken(process.env), FORCE_COLOR: "0" },
      // Its own process group: a Ctrl-C at the lab's terminal reaches the lab alone, which
      // then stops each training once (a second SIGINT would make the CLI quit at once).
      detached: true,
    });
    const training: Training = {
      name,
      dir,
      pid: child.pid ?? 0,
      child,
      writing: false,
      exit: null,
      log: "",
    };
    this.byName.set(name, training);
    const keep = (chunk: Buffer) => {
      training.log = (training.log + chunk.toString("utf8")).slice(-LOG_CHARS);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const exited = new Promise<void>((done) => {
      child.once("error", (err) => {
        training.exit = {
          code: null,
          failed: true,
          message: `could not start infomorph: ${err.message}`,
        };
        done();
      });
      child.once("exit", (code, signal) => {
        const failed = code !== 0 && code !== EXIT_INTERRUPTED;
        training.exit = {
          code,
          failed,
          message: failed ? failureMessage(training.log, code, signal) : null,
        };
        done();
      });
    });
    const started = Date.now();
    while (training.exit === null && Date.now() - started < READY_MS) {
      if (
        existsSync(join(dir, CHECKPOINT_FILE)) &&
        RunLock.activeHolder(dir)?.pid === training.pid
      ) {
        training.writing = true;
        break;
      }
      await Promise.race([exited, sleep(100)]);
    }
    if (training.exit?.failed)
      throw new HttpError(400, training.exit.message ?? "the training failed.");
    if (training.exit === null) {
      // Marked writing once it holds the lock, also after a slow start (a download).
      const watch = setInterval(() => {
        if (training.exit !== null) clearInterval(watch);
        else if (RunLock.activeHolder(dir)?.pid === training.pid) {
          training.writing = true;
          clearInterval(watch);
        }
      }, 250);
      watch.unref();
    }
    return training;
  }
}

/** The CLI's own sentence ("error: …"), else its last line, else how it ended. */
function failureMessage(log: string, code: number | null, signal: NodeJS.Signals | null): string {
  const lines = log
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const error = [...lines].reverse().find((l) => l.startsWith("error: "));
  if (error) return error.slice("error: ".length);
  if (lines.length > 0) return lines[lines.length - 1];
  return signal ? `the training was killed (${signal}).` : `the training exited with code ${code}.`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** The environment without the lab's token: a training has no use for it. */
function withoutToken(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { [TOKEN_ENV]: _, ...rest } = env;
  return rest;
}
