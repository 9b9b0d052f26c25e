import type { StudyProgress } from "@infomorph/search";
import { describe, expect, it } from "vitest";
import { SearchProgress, duration } from "./progress.js";

const outcome = (value: number) => ({
  value,
  seeds: [{ seed: 1, value, epoch: 4, test: null, seconds: 1 }],
});
const base = {
  trials: 10,
  done: 3,
  failed: 1,
  running: 2,
  best: { trial: 1, value: 0.9123 },
  etaSeconds: 3725,
};

describe("SearchProgress", () => {
  it("writes one plain line per finished trial when stderr is not a terminal", () => {
    let text = "";
    const progress = new SearchProgress({
      write: (t: string) => {
        text += t;
      },
    });
    const events: StudyProgress["event"][] = [
      { kind: "asked", trial: 4 },
      { kind: "epoch", trial: 4, seed: 1, epoch: 1, epochs: 4, validation: 0.5 },
      { kind: "done", trial: 2, outcome: outcome(0.8) },
      { kind: "failed", trial: 3, error: "worker process 7 was killed by SIGKILL" },
    ];
    for (const event of events) progress.update({ ...base, event });
    expect(text).toBe(
      "trial 2: 80.00 % validation · 3/10 done, 2 running, 1 failed, best 91.23 % (trial 1), ETA 1 h 02 min\n" +
        "trial 3 failed: worker process 7 was killed by SIGKILL · 3/10 done, 2 running, 1 failed, best 91.23 % (trial 1), ETA 1 h 02 min\n",
    );
  });

  it("redraws a status line of the running trials on a terminal, cut to its width", () => {
    let text = "";
    const progress = new SearchProgress({
      write: (t: string) => {
        text += t;
      },
      isTTY: true,
      columns: 60,
    });
    progress.update({
      ...base,
      event: { kind: "epoch", trial: 4, seed: 2, epoch: 3, epochs: 4, validation: 0.8765 },
    });
    expect(text).toBe("\rtrial 4 s2 epoch 3/4 val 87.65 % · 3/10 done, 2 running, 1 \x1b[K");
    progress.finish();
    expect(text.endsWith("\r\x1b[K")).toBe(true);
  });

  it("says durations in hours, minutes or seconds", () => {
    expect([duration(3725), duration(75), duration(4.4), duration(-1)]).toEqual([
      "1 h 02 min",
      "1 min 15 s",
      "4 s",
      "0 s",
    ]);
  });
});
