/** A memory run as the page gets it: the payload `infomorph report` embeds (src/memory/memory-data.ts), decoded. */

import { decodeState } from "@infomorph/runs/browser";
import type { MemoryPayload } from "../../../src/memory/memory-data.js";

export type { MemoryPayload };

/** Whether the embedded JSON is a memory run's (it says so in `view`); a training run's has no `view`. */
export function isMemoryPayload(json: unknown): boolean {
  return (
    typeof json === "object" && json !== null && (json as { view?: unknown }).view === "memory"
  );
}

/** The payload as JSON carries it (typed arrays as {dtype, base64}). */
export function decodeMemoryPayload(json: unknown): MemoryPayload {
  return decodeState(json) as MemoryPayload;
}
