/** How `infomorph search` opens its study: a study folder with local worker processes, or (--db) a study in PostgreSQL with workers anywhere. */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InfomorphError } from "@infomorph/core";
import {
  FolderBackend,
  type PgStudyOptions,
  type StudyBackend,
  type StudyConfig,
  StudyFolder,
  type StudyInput,
  openPgStudy,
  redactUrl,
  resolveStudyConfig,
} from "@infomorph/search";
import type { OutStream } from "../cli/output.js";
import { type StudyFlags, studyInput } from "./study-input.js";

/** A study opened by its coordinator, wherever it lives. */
export interface OpenStudy {
  readonly backend: StudyBackend;
  /** How messages name it: a folder, or "study NAME in postgres://user:***@host/db". */
  readonly label: string;
  /** The command that resumes it. */
  readonly resume: string;
  close(): Promise<void>;
}

/** The study folder's backend as an OpenStudy. */
export function folderStudy(backend: FolderBackend, dir: string): OpenStudy {
  return {
    backend,
    label: dir,
    resume: `infomorph search --resume ${dir}`,
    close: async () => backend.close(),
  };
}

export interface DatabaseStudyRequest {
  readonly url: string;
  /** The study to continue, or null for a new one. */
  readonly resume: string | null;
  /** A new study's name and input. */
  readonly name: string;
  readonly input: StudyInput;
  readonly where: string;
  /** With resume: the new number of trials. */
  readonly trials?: number;
  readonly options: PgStudyOptions;
}

/** Open (or create) a study in the database; every message is free of the URL's password. */
export async function openDatabaseStudy(
  request: DatabaseStudyRequest,
  stderr: OutStream,
): Promise<OpenStudy> {
  const study =
    request.resume !== null
      ? { resume: request.resume }
      : {
          create: resolveStudyConfig(request.name, request.input, request.where, {
            namedDatasetsOnly: true,
          }),
        };
  const { backend, close } = await openPgStudy(request.url, {
    study,
    trials: request.trials,
    options: { ...request.options, onError: (message) => stderr.write(`${message}\n`) },
    onQueueError: (message) => stderr.write(`queue: ${message}\n`),
  });
  const name = backend.config.name;
  const url = redactUrl(request.url);
  return {
    backend,
    label: `study ${name} in ${url}`,
    resume: `infomorph search --db '${url}' --resume ${name}`,
    close,
  };
}

/** The study folder (new, or --resume) with its local worker processes. */
export function openFolderStudy(
  flags: StudyFlags & {
    config?: string;
    out?: string;
    resume?: string;
    threads: number;
    kernels: string;
  },
  jobs: number,
  env: NodeJS.ProcessEnv,
): OpenStudy {
  let folder: StudyFolder;
  if (flags.resume !== undefined) {
    folder = StudyFolder.open(flags.resume);
    if (flags.trials !== undefined) {
      try {
        folder.setTrials(flags.trials);
      } catch (err) {
        folder.close();
        throw err;
      }
    }
  } else {
    const config = resolveStudyConfig(
      "study",
      studyInput(flags.config, flags),
      flags.config ?? "flags",
    );
    const out = flags.out ?? defaultStudyDir(config);
    folder = StudyFolder.create(out, { ...config, name: studyName(out) });
  }
  const backend = new FolderBackend(folder, {
    script: localWorkerScript(),
    workers: jobs,
    args: ["--threads", String(flags.threads), "--kernels", flags.kernels],
    env,
  });
  return folderStudy(backend, folder.dir);
}

/** search-<yyyymmdd-hhmmss>: a new database study's default name. */
export function defaultStudyName(now = new Date()): string {
  return `search-${stamp(now)}`;
}

/** yyyymmdd-hhmmss in local time. */
function stamp(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}

/** The local worker script: next to this module's folder in dist/, or (tests run the sources) the built copy. */
export function localWorkerScript(): string {
  const here = import.meta.url;
  const url = here.endsWith(".ts")
    ? new URL("../../dist/search/local-worker.js", here)
    : new URL("./local-worker.js", here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new InfomorphError({
      code: "search/no-worker-script",
      path: [path],
      message: `the worker script ${path} is not built; run npm run build.`,
    });
  }
  return path;
}

/** runs/search-<preset>-<dataset>-<yyyymmdd-hhmmss>, in local time. */
function defaultStudyDir(config: StudyConfig, now = new Date()): string {
  const dataset =
    config.trial.dataset
      .replace(/^(csv|idx):/, "")
      .split(/[\\/]/)
      .filter(Boolean)
      .pop()
      ?.replace(/\.[^.]*$/, "")
      .replace(/[^A-Za-z0-9_-]+/g, "-") || "data";
  return join("runs", `search-${config.trial.preset}-${dataset}-${stamp(now)}`);
}

/** A study's name from its folder: the folder's name, reduced to the characters a name may hold. */
function studyName(dir: string): string {
  const base = dir.split(/[\\/]/).filter(Boolean).pop() ?? "study";
  const name = base
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 64);
  return name || "study";
}
