/**
 * Server-Sent Events that follow one run while it trains: every POLL_MS the stream reads what
 * was appended to metrics.jsonl and the atom files since the page's byte offsets (the run
 * store's tailMetrics and tailLayerAtoms: each read opens and closes its file), and says when
 * a new checkpoint or another training state appears. Nothing stays open between reads, and
 * a closed connection stops its timer: a closed tab leaves no watcher and no file handle.
 *
 * Events: `metrics` {lines, cursor}, `atoms` {layer, values (float32 epochs), offset},
 * `checkpoint` {epoch}, `status` (RunStatus), `reset` (a file became shorter than the
 * offsets: the run was resumed from an older checkpoint; reload it), `problem` {message}.
 */

import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import {
  CHECKPOINT_FILE,
  type LinesCursor,
  METRICS_FILE,
  encodeState,
  fileSize,
  readAtomsIndex,
  tailLayerAtoms,
  tailMetrics,
} from "@infomorph/runs";
import type { RunStatus } from "../payload.js";
import { badRequest } from "./http-error.js";

/** How often a stream looks for new data, ms. */
export const POLL_MS = 250;
/** A comment line this often keeps proxies from closing a quiet stream, ms. */
const KEEPALIVE_MS = 15_000;

/** Where a stream starts: the query of api/runs/NAME/events (?metrics=BYTES&line=N&atoms=B0,B1). */
export function streamStart(query: URLSearchParams): { metrics: LinesCursor; atoms: number[] } {
  const count = (name: string, text: string | null, least: number): number => {
    const value = Number(text);
    if (text === null || text === "" || !Number.isSafeInteger(value) || value < least) {
      throw badRequest(
        `${name} must be an integer ≥ ${least} (got ${JSON.stringify(text)}); continue from the offsets the run's payload gave.`,
      );
    }
    return value;
  };
  const atoms = query.get("atoms") ?? "";
  return {
    metrics: {
      offset: count("metrics", query.get("metrics") ?? "0", 0),
      line: count("line", query.get("line") ?? "1", 1),
    },
    atoms: atoms === "" ? [] : atoms.split(",").map((a, l) => count(`atoms[${l}]`, a, 0)),
  };
}

/** Follow run `dir` on `res` from `start` until the client goes away. */
export function streamRun(
  req: IncomingMessage,
  res: ServerResponse,
  dir: string,
  start: { metrics: LinesCursor; atoms: number[] },
  status: () => RunStatus,
): void {
  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  res.write(": infomorph lab\n\n");
  let metrics = start.metrics;
  const atoms = [...start.atoms];
  let checkpointTime = mtime(join(dir, CHECKPOINT_FILE));
  let lastStatus = "";
  let lastWrite = Date.now();
  const send = (event: string, data: unknown) => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    lastWrite = Date.now();
  };
  const stop = () => {
    clearInterval(timer);
    res.end();
  };
  const poll = () => {
    if (fileSize(join(dir, METRICS_FILE)) < metrics.offset) return reset();
    const tail = tailMetrics(dir, metrics);
    if (tail.lines.length > 0) {
      metrics = tail.cursor;
      send("metrics", { lines: tail.lines, cursor: metrics });
    }
    const index = readAtomsIndex(dir);
    for (const [l, layer] of (index?.layers ?? []).entries()) {
      const offset = atoms[l] ?? 0;
      if (fileSize(join(dir, layer.file)) < offset) return reset();
      const got = tailLayerAtoms(dir, layer, offset);
      if (got.epochs.length === 0) continue;
      const values = new Float32Array(got.epochs.reduce((n, e) => n + e.length, 0));
      got.epochs.forEach((e, k) => values.set(e, k * e.length));
      atoms[l] = got.offset;
      send("atoms", encodeState({ layer: l, values, offset: got.offset }));
    }
    const time = mtime(join(dir, CHECKPOINT_FILE));
    if (time !== checkpointTime) {
      checkpointTime = time;
      send("checkpoint", { epoch: checkpointEpoch(dir) });
    }
    const now = JSON.stringify(status());
    if (now !== lastStatus) {
      lastStatus = now;
      send("status", JSON.parse(now));
    }
    if (Date.now() - lastWrite > KEEPALIVE_MS) {
      res.write(": keep-alive\n\n");
      lastWrite = Date.now();
    }
  };
  const reset = () => {
    send("reset", {});
    stop();
  };
  const timer = setInterval(() => {
    try {
      poll();
    } catch (err) {
      send("problem", { message: (err as Error).message });
      stop();
    }
  }, POLL_MS);
  req.on("close", () => clearInterval(timer));
  res.on("error", () => clearInterval(timer));
  try {
    poll();
  } catch (err) {
    send("problem", { message: (err as Error).message });
    stop();
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * The epoch of a run's checkpoint, read from the file's first bytes (checkpoint.json starts
 * {"format":1,"epoch":N,…}; the model state after it can be megabytes), or null.
 */
export function checkpointEpoch(dir: string): number | null {
  let fd: number;
  try {
    fd = openSync(join(dir, CHECKPOINT_FILE), "r");
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(96);
    const n = readSync(fd, head, 0, head.length, 0);
    const match = /"epoch":(\d+)/.exec(head.subarray(0, n).toString("utf8"));
    return match ? Number(match[1]) : null;
  } finally {
    closeSync(fd);
  }
}
