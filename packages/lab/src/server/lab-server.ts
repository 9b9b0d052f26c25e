/**
 * The lab server (`infomorph lab`): the page, and an API over one runs folder. node:http and
 * nothing else: the API is a dozen routes, Server-Sent Events are a response that stays open,
 * and every security check (Host, Origin, token, paths) is in sight in this package rather
 * than in a framework's defaults; no dependency to install, audit or keep on Node 20–24.
 *
 * Routes (JSON unless said):
 *   GET  /                         the page (index.html); /?token=T sets the token cookie
 *   GET  /assets/…                 the page's built files
 *   GET  /api/info                 version, runs folder, whether trainings can be started
 *   GET  /api/runs                 every run: preset, data, progress, accuracy, status; and
 *                                  every goal-search study: sampler, trials, best, state
 *   GET  /api/studies/NAME         the study's report page (HTML, no script), as of now
 *   GET  /api/runs/NAME            the run's payload (src/payload.ts) with live offsets
 *   GET  /api/runs/NAME/events     Server-Sent Events from those offsets (server/events.ts)
 *   GET  /api/runs/NAME/weights    the weights at the newest checkpoint
 *   GET  /api/runs/NAME/complexity representational complexity at the checkpoint
 *   GET  /api/runs/NAME/archive    the run as a .zip, as of its checkpoint
 *   GET  /api/runs/NAME/log        the end of its training process's output
 *   GET  /api/runs/NAME/files/PATH a file inside the run's folder
 *   POST /api/trainings            start `infomorph train` (server/train-request.ts)
 *   POST /api/runs/NAME/stop       SIGINT its training (checkpoint, as Ctrl-C)
 *   POST /api/runs/NAME/resume     `infomorph train --resume` [{"epochs": N}]
 *   POST /api/import?name=NAME     unpack an exported run (.zip body) into the runs folder
 * Refusals: 400 bad input, 401 token, 403 Host/Origin/paths, 404, 405, 409 state, 413 size.
 */

import { mkdirSync, readFileSync } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { InfomorphError } from "@infomorph/core";
import {
  CONFIG_FILE,
  METRICS_FILE,
  encodeBinary,
  encodeState,
  epochBytes,
  readRun,
  runArchive,
  unpackRunArchive,
} from "@infomorph/runs";
import { type OpenHiddenLayer, reportComplexity } from "../complexity.js";
import { type RunPayload, type RunStatus, runPayload, stateWeights } from "../payload.js";
import { checkpointEpoch, streamRun, streamStart } from "./events.js";
import { HttpError, badRequest } from "./http-error.js";
import { allow, decodePart, fail, json, readBody, readJson } from "./http-io.js";
import { PageFiles } from "./page-files.js";
import { PayloadCache } from "./payload-cache.js";
import { listRuns, runStatus } from "./run-list.js";
import { checkRunName, realRoot, runDir, runFile } from "./run-paths.js";
import {
  type AccessRules,
  TOKEN_COOKIE,
  checkAccess,
  createToken,
  isLoopback,
} from "./security.js";
import { listStudies, studyPage } from "./study-list.js";
import { trainRequest } from "./train-request.js";
import { Trainings } from "./trainings.js";

export interface LabServerOptions {
  /** The runs folder (created when missing). */
  runs: string;
  /** Where to listen: default 127.0.0.1. Anything but loopback needs a token. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /**
   * The token every request must carry. Default: none on loopback, a new random one
   * elsewhere. null on a non-loopback host is refused.
   */
  token?: string | null;
  /** How to run the infomorph CLI (e.g. [node, bin/infomorph.js]); without it the lab cannot start trainings. */
  trainCommand?: readonly string[];
  /** --threads for the trainings it starts (default: the CLI's, every core). */
  threads?: number;
  /** Opens a run's hidden layer for its representational complexity (the CLI's openHiddenLayer). */
  openHiddenLayer?: OpenHiddenLayer;
  /** The built page (default: this package's dist/page). */
  pageDir?: string;
  /** The version to show. */
  version?: string;
  /** How the runs folder is shown to the page (default: its path). */
  runsLabel?: string;
}

export interface LabServer {
  /** The page's address, with ?token=… when a token is needed. */
  readonly url: string;
  readonly token: string | null;
  readonly port: number;
  readonly server: Server;
  /** Event streams open now (pages following runs). */
  streamCount(): number;
  /** Stop listening, end open streams, stop the trainings it started (they checkpoint). */
  close(): Promise<void>;
}

/** Body limit of an exported run. */
const MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024;

const SECURITY_HEADERS = {
  // Cross-origin isolation, so the page's training worker may use threads (SharedArrayBuffer).
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

const PAGE_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** A study's page is ours and script-less: it needs its inline style and nothing else. */
const STUDY_PAGE_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const RUN_PAGE_POLICY =
  "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:";

/** Start the lab server; resolves once it listens. */
export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const host = options.host ?? "127.0.0.1";
  const loopback = isLoopback(host);
  if (!loopback && options.token === null) {
    throw new InfomorphError({
      code: "lab/token-required",
      path: ["token"],
      message: `serving on ${host} makes the lab reachable from other machines, so it needs a token: leave --token out to get a new one, or give --token SECRET.`,
    });
  }
  if (options.token !== undefined && options.token !== null && options.token.length < 16) {
    throw new InfomorphError({
      code: "lab/weak-token",
      path: ["token"],
      message: `the token has ${options.token.length} characters; give at least 16 (or leave --token out for a random one).`,
    });
  }
  const token = options.token ?? (loopback ? null : createToken());
  mkdirSync(options.runs, { recursive: true });
  const root = realRoot(options.runs);
  const page = new PageFiles(options.pageDir);
  const trainings = new Trainings(root, options.trainCommand ?? [], options.threads);
  const rules: AccessRules = { bind: host, token };
  const complexity = new Map<string, Promise<unknown>>();
  const streams = new Set<ServerResponse>();
  const payloads = new PayloadCache<Uint8Array>();
  const context: Context = { root, page, trainings, options, complexity, streams, payloads };

  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    handle(req, res, rules, context).catch((err: unknown) => fail(res, err));
  });
  server.requestTimeout = 0; // event streams stay open
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    url: `http://${shown}:${port}/${token ? `?token=${token}` : ""}`,
    token,
    port,
    server,
    streamCount: () => streams.size,
    async close() {
      for (const res of streams) res.end();
      await trainings.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

interface Context {
  root: string;
  page: PageFiles;
  trainings: Trainings;
  options: LabServerOptions;
  complexity: Map<string, Promise<unknown>>;
  streams: Set<ServerResponse>;
  payloads: PayloadCache<Uint8Array>;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  rules: AccessRules,
  c: Context,
): Promise<void> {
  const { tokenInQuery } = checkAccess(req, rules);
  const url = new URL(req.url ?? "/", "http://lab");
  const method = req.method ?? "GET";
  if (tokenInQuery) {
    // The token moves from the address into a cookie, and the address loses it.
    url.searchParams.delete("token");
    res.writeHead(303, {
      "Set-Cookie": `${TOKEN_COOKIE}=${encodeURIComponent(rules.token ?? "")}; HttpOnly; SameSite=Strict; Path=/`,
      Location: url.pathname + (url.search === "?" ? "" : url.search),
    });
    res.end();
    return;
  }
  const path = url.pathname;
  if (!path.startsWith("/api/")) {
    const file = c.page.get(path);
    if (!file) throw new HttpError(404, `${path} is not part of the lab.`);
    allow(method, ["GET", "HEAD"]);
    res.writeHead(200, {
      "Content-Type": file.type,
      "Content-Length": file.body.length,
      "Cache-Control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
      ...(file.type.startsWith("text/html") ? { "Content-Security-Policy": PAGE_POLICY } : {}),
    });
    res.end(method === "HEAD" ? undefined : file.body);
    return;
  }
  const parts = path.slice("/api/".length).split("/").map(decodePart);
  const [first, name, action, ...rest] = parts;
  if (first === "info" && parts.length === 1) {
    allow(method, ["GET"]);
    return json(res, 200, {
      version: c.options.version ?? "",
      runs: c.options.runsLabel ?? c.root,
      training: (c.options.trainCommand?.length ?? 0) > 0,
      complexity: c.options.openHiddenLayer !== undefined,
    });
  }
  if (first === "runs" && parts.length === 1) {
    allow(method, ["GET"]);
    return json(res, 200, {
      root: c.options.runsLabel ?? c.root,
      runs: listRuns(c.root, c.trainings),
      studies: listStudies(c.root),
    });
  }
  if (first === "studies" && name !== undefined && parts.length === 2) {
    allow(method, ["GET"]);
    const label = c.options.runsLabel ?? c.root;
    const body = Buffer.from(studyPage(c.root, name, join(label, name), c.page));
    res.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Length": body.length,
      "Cache-Control": "no-store",
      "Content-Security-Policy": STUDY_PAGE_POLICY,
    });
    res.end(body);
    return;
  }
  if (first === "trainings" && parts.length === 1) {
    allow(method, ["POST"]);
    needTrainings(c);
    const request = trainRequest(await readJson(req));
    if (c.trainings.running(request.name))
      throw new HttpError(409, `run ${request.name} is already being trained.`);
    if (existsRun(c.root, request.name)) {
      throw new HttpError(
        409,
        `run ${request.name} already exists; choose another name, or resume it.`,
      );
    }
    const t = await c.trainings.start(request.name, request.args);
    return json(res, 202, {
      name: request.name,
      pid: t.pid,
      state: t.writing ? "training" : "starting",
    });
  }
  if (first === "import" && parts.length === 1) {
    allow(method, ["POST"]);
    const target = checkRunName(url.searchParams.get("name"), "name");
    if (existsRun(c.root, target))
      throw new HttpError(409, `run ${target} already exists; give the import another name.`);
    const bytes = await readBody(req, MAX_ARCHIVE_BYTES);
    try {
      unpackRunArchive(bytes, `${target}.zip`, join(c.root, target));
    } catch (err) {
      if (err instanceof InfomorphError) throw badRequest(err.message);
      throw err;
    }
    return json(res, 201, { name: target });
  }
  if (first !== "runs" || name === undefined) throw new HttpError(404, `no API route ${path}.`);

  // /api/runs/NAME[/action]
  if (action === undefined) {
    allow(method, ["GET"]);
    const dir = runDir(c.root, name);
    const status = statusOf(dir, name, c);
    if (!/application\/octet-stream/.test(req.headers.accept ?? "")) {
      return json(res, 200, encodeState(livePayload(dir, name, status)));
    }
    // The page asks for the binary form (typed arrays as raw bytes), kept while the run is unchanged.
    const body = c.payloads.get(dir, JSON.stringify(status), () =>
      encodeBinary(livePayload(dir, name, status)),
    );
    res.writeHead(200, {
      "Content-Type": "application/octet-stream",
      "Content-Length": body.length,
      "Cache-Control": "no-store",
    });
    res.end(body);
    return;
  }
  if (action === "events" && rest.length === 0) {
    allow(method, ["GET"]);
    const dir = runDir(c.root, name);
    const start = streamStart(url.searchParams);
    c.streams.add(res);
    res.on("close", () => c.streams.delete(res));
    streamRun(req, res, dir, start, () => statusOf(dir, name, c));
    return;
  }
  if (action === "files") {
    allow(method, ["GET"]);
    const file = runFile(c.root, name, rest.join("/"));
    const body = readFileSync(file);
    res.writeHead(200, {
      "Content-Type": file.endsWith(".html")
        ? "text/html; charset=utf-8"
        : file.endsWith(".json")
          ? "application/json"
          : "application/octet-stream",
      "Content-Length": body.length,
      "Content-Disposition": file.endsWith(".html") ? "inline" : "attachment",
      // A run's report.html (which an imported archive may bring) runs sandboxed, in an origin
      // of its own: it cannot send the lab's cookie or pass its Origin check.
      ...(file.endsWith(".html") ? { "Content-Security-Policy": RUN_PAGE_POLICY } : {}),
    });
    res.end(body);
    return;
  }
  if (rest.length > 0) throw new HttpError(404, `no API route ${path}.`);
  if (action === "stop") {
    allow(method, ["POST"]);
    checkRunName(name, "a run's name");
    await readJson(req); // no fields; a body, if any, must still be JSON
    c.trainings.stop(name);
    return json(res, 202, { name, state: "stopping" });
  }
  const dir = runDir(c.root, name);
  switch (action) {
    case "weights": {
      allow(method, ["GET"]);
      const run = readRunOr409(dir, "encoded");
      return json(
        res,
        200,
        encodeState({ epoch: run.epoch, layers: stateWeights(run.layers, run.state) }),
      );
    }
    case "complexity": {
      allow(method, ["GET"]);
      const open = c.options.openHiddenLayer;
      if (!open)
        throw new HttpError(
          501,
          "this lab cannot measure complexity (it has no access to the runs' datasets).",
        );
      const key = `${dir}@${checkpointEpoch(dir)}`;
      let result = c.complexity.get(key);
      if (!result) {
        result = reportComplexity(readRunOr409(dir), open);
        c.complexity.set(key, result);
        result.catch(() => c.complexity.delete(key));
      }
      return json(res, 200, await result);
    }
    case "archive": {
      allow(method, ["GET"]);
      const zip = runArchive(dir);
      res.writeHead(200, {
        "Content-Type": "application/zip",
        "Content-Length": zip.length,
        "Content-Disposition": `attachment; filename="${name}.zip"`,
      });
      res.end(zip);
      return;
    }
    case "log": {
      allow(method, ["GET"]);
      const t = c.trainings.get(name);
      return json(res, 200, { log: t?.log ?? "", exit: t?.exit ?? null });
    }
    case "resume": {
      allow(method, ["POST"]);
      needTrainings(c);
      const body = (await readJson(req)) ?? {};
      const epochs = resumeEpochs(body);
      if (c.trainings.running(name))
        throw new HttpError(409, `run ${name} is already being trained.`);
      const completed = checkpointEpoch(dir) ?? 0;
      if (epochs !== undefined && epochs < completed) {
        throw badRequest(
          `epochs ${epochs} is below the ${completed} epochs run ${name} has already trained; give ${completed} or more.`,
        );
      }
      const t = await c.trainings.resume(name, epochs);
      return json(res, 202, { name, pid: t.pid, state: t.writing ? "training" : "starting" });
    }
    default:
      throw new HttpError(404, `no API route ${path}.`);
  }
}

/** The run's payload with where its event stream continues and who trains it. */
function livePayload(dir: string, name: string, status: RunStatus): RunPayload {
  const run = readRunOr409(dir, "encoded");
  const shown = run.layers.filter((l) => l.epochs.length > 0);
  const cursor = {
    metrics: { offset: run.files[METRICS_FILE] ?? 0, line: run.metrics.length + 1 },
    atoms: shown.map((l) => l.epochs.length * epochBytes(l)),
  };
  return runPayload(run, name, null, { cursor, status });
}

function statusOf(dir: string, name: string, c: Context) {
  let target = 0;
  try {
    target = (
      JSON.parse(readFileSync(join(dir, CONFIG_FILE), "utf8")) as { training: { epochs: number } }
    ).training.epochs;
  } catch {
    target = 0;
  }
  return runStatus(dir, name, c.trainings, checkpointEpoch(dir) ?? 0, target);
}

function readRunOr409(dir: string, state: "decoded" | "encoded" = "decoded") {
  try {
    return readRun(dir, { state });
  } catch (err) {
    if (err instanceof InfomorphError) throw new HttpError(409, err.message);
    throw err;
  }
}

function existsRun(root: string, name: string): boolean {
  try {
    runDir(root, name);
    return true;
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return false;
    throw err;
  }
}

function needTrainings(c: Context): void {
  if ((c.options.trainCommand?.length ?? 0) === 0) {
    throw new HttpError(501, "this lab was started without a way to run trainings.");
  }
}

function resumeEpochs(body: unknown): number | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest(
      'the body must be a JSON object, e.g. {"epochs": 20}, or {} to train up to the epochs in config.json.',
    );
  }
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).find((k) => k !== "epochs");
  if (extra !== undefined) throw badRequest(`unknown field "${extra}"; resume takes only epochs.`);
  if (b.epochs === undefined) return undefined;
  if (
    typeof b.epochs !== "number" ||
    !Number.isInteger(b.epochs) ||
    b.epochs < 1 ||
    b.epochs > 100_000
  ) {
    throw badRequest(
      `epochs must be an integer from 1 to 100000 (got ${JSON.stringify(b.epochs)}).`,
    );
  }
  return b.epochs;
}
