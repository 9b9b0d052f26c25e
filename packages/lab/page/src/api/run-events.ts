/**
 * Following a run while it trains: one EventSource on api/runs/NAME/events from the payload's
 * byte offsets; new metrics lines and epochs of atoms are added to the RunData, new weights
 * fetched after each checkpoint. A dropped connection is reopened from the offsets reached
 * (never from the first ones, which would repeat data); close() ends it and the server frees
 * its watchers.
 */

import { type MetricLine, decodeState } from "@infomorph/runs/browser";
import type { LiveCursor, PayloadSource, RunData, RunStatus } from "../run/run-data.js";
import { api } from "./client.js";

const RETRY_MS = 2000;

export function followRun(
  data: RunData,
  onChange: () => void,
  onReset: () => void,
): { close(): void } {
  let source: EventSource | null = null;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let weightsEpoch = data.checkpointEpoch;
  let fetching = false;

  const open = () => {
    const cursor = data.cursor;
    if (closed || !cursor) return;
    const query = new URLSearchParams({
      metrics: String(cursor.metrics.offset),
      line: String(cursor.metrics.line),
      atoms: cursor.atoms.join(","),
    });
    source = new EventSource(`api/runs/${encodeURIComponent(data.name)}/events?${query}`);
    source.addEventListener("metrics", (e) => {
      const { lines, cursor: next } = JSON.parse((e as MessageEvent).data) as {
        lines: MetricLine[];
        cursor: LiveCursor["metrics"];
      };
      data.addMetrics(lines);
      if (data.cursor) data.cursor.metrics = next;
      onChange();
    });
    source.addEventListener("atoms", (e) => {
      const event = decodeState(JSON.parse((e as MessageEvent).data)) as {
        layer: number;
        values: Float32Array;
        offset: number;
      };
      const layer = data.layers[event.layer];
      if (!layer) {
        // The run's first epoch: its layers are new to the page; load the run again.
        close();
        onReset();
        return;
      }
      const per = layer.size * layer.stride;
      const epochs = Array.from({ length: event.values.length / per }, (_, k) =>
        event.values.subarray(k * per, (k + 1) * per),
      );
      layer.addEpochs(epochs);
      if (data.cursor) data.cursor.atoms[event.layer] = event.offset;
      onChange();
    });
    source.addEventListener("checkpoint", (e) => {
      const { epoch } = JSON.parse((e as MessageEvent).data) as { epoch: number };
      data.checkpointEpoch = epoch;
      if (epoch > weightsEpoch && !fetching) refreshWeights(epoch);
    });
    source.addEventListener("status", (e) => {
      data.status = JSON.parse((e as MessageEvent).data) as RunStatus;
      onChange();
    });
    source.addEventListener("reset", () => {
      close();
      onReset();
    });
    source.onerror = () => {
      source?.close();
      source = null;
      if (!closed) retry = setTimeout(open, RETRY_MS);
    };
  };

  const refreshWeights = (epoch: number) => {
    fetching = true;
    api<unknown>(`runs/${encodeURIComponent(data.name)}/weights`)
      .then((json) => {
        const weights = decodeState(json) as {
          epoch: number;
          layers: Record<string, PayloadSource[]>;
        };
        for (const layer of data.layers)
          layer.weights = weights.layers[layer.name] ?? layer.weights;
        weightsEpoch = Math.max(epoch, weights.epoch);
        onChange();
      })
      .catch(() => {
        // the next checkpoint tries again
      })
      .finally(() => {
        fetching = false;
      });
  };

  const close = () => {
    closed = true;
    if (retry) clearTimeout(retry);
    source?.close();
    source = null;
  };

  open();
  return { close };
}
