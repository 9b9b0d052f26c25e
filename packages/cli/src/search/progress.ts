/** The progress of `infomorph search` on stderr: one line per finished trial, and on a terminal a status line of the running trials redrawn in place. */

import type { StudyProgress } from "@infomorph/search";
import type { OutStream } from "../cli/output.js";

export class SearchProgress {
  /** Per running trial: the seed and epoch it is at. */
  private readonly running = new Map<number, string>();
  private statusShown = false;

  constructor(private readonly stream: OutStream) {}

  update(p: StudyProgress): void {
    const e = p.event;
    if (e.kind === "asked") this.running.set(e.trial, "starting");
    else if (e.kind === "epoch")
      this.running.set(
        e.trial,
        `s${e.seed} epoch ${e.epoch}/${e.epochs} val ${percent(e.validation)}`,
      );
    else this.running.delete(e.trial);
    if (e.kind === "done" || e.kind === "failed") {
      const what =
        e.kind === "done"
          ? `trial ${e.trial}: ${percent(e.outcome.value)} validation${e.outcome.seeds.length > 1 ? ` (seeds ${e.outcome.seeds.map((s) => percent(s.value)).join(", ")})` : ""}`
          : `trial ${e.trial} failed: ${e.error}`;
      this.clearStatus();
      this.stream.write(`${what} · ${summary(p)}\n`);
    }
    if (this.stream.isTTY) this.drawStatus(p);
  }

  finish(): void {
    this.clearStatus();
  }

  private drawStatus(p: StudyProgress): void {
    const trials = [...this.running.entries()].map(([id, at]) => `trial ${id} ${at}`).join(" · ");
    const line = `${trials || "waiting"} · ${summary(p)}`;
    // A terminal of unknown width (0 under some wrappers) gets 100 columns.
    const width = Math.max(20, (this.stream.columns || 100) - 1);
    this.stream.write(`\r${line.slice(0, width)}\x1b[K`);
    this.statusShown = true;
  }

  private clearStatus(): void {
    if (!this.statusShown) return;
    this.stream.write("\r\x1b[K");
    this.statusShown = false;
  }
}

function summary(p: StudyProgress): string {
  const parts = [
    `${p.done}/${p.trials} done`,
    `${p.running} running`,
    ...(p.failed > 0 ? [`${p.failed} failed`] : []),
    p.best ? `best ${percent(p.best.value)} (trial ${p.best.trial})` : "no result yet",
    ...(p.etaSeconds !== null && p.done < p.trials ? [`ETA ${duration(p.etaSeconds)}`] : []),
  ];
  return parts.join(", ");
}

export function percent(x: number): string {
  return `${(100 * x).toFixed(2)} %`;
}

/** 3725 → "1 h 02 min"; 75 → "1 min 15 s". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600)
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${s} s`;
}
