/** How `infomorph search` opens its study: a study folder with local worker processes, or (--db) a study in PostgreSQL with workers anywhere. */

import {
  type FolderBackend,
  type PgStudyOptions,
  type StudyBackend,
  type StudyInput,
  openPgStudy,
  redactUrl,
  resolveStudyConfig,
} from "@infomorph/search";
import type { OutStream } from "../cli/output.js";

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
    options: request.options,
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
