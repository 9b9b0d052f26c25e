/**
 * The run view: the report of one run, section by section (header, learning curves, atom
 * trajectories, the neuron map and one neuron, confusion matrices, representational
 * complexity, goal, config). The same view shows a run embedded by `infomorph report` and a
 * run the lab serves; in the lab it follows the run while it trains and offers stop, resume
 * and download. Updates are drawn at most once per frame.
 */

import { ApiError, api, apiBytes, post } from "../api/client.js";
import { followRun } from "../api/run-events.js";
import { el } from "../app/dom.js";
import { AtomsSection } from "../run/atoms.js";
import { ComplexitySection } from "../run/complexity.js";
import { ConfigSection } from "../run/config-section.js";
import { ConfusionSection } from "../run/confusion.js";
import { CurvesSection } from "../run/curves.js";
import { GoalSection } from "../run/goal.js";
import { HeaderSection } from "../run/header.js";
import { NeuronSection } from "../run/neuron-panel.js";
import { RunData } from "../run/run-data.js";
import type { View } from "./view.js";

/** A part of the run view, drawn from the run's data. */
interface Section {
  readonly root: HTMLElement;
  update(data: RunData): void;
}

export class RunView implements View {
  readonly root = el("main", { class: "run-view" });
  readonly header = new HeaderSection();
  private readonly sections: Section[];
  private readonly complexity = new ComplexitySection();
  private frame = 0;
  private stream: { close(): void } | null = null;
  /** Updates drawn so far (benchmarks read it). */
  updates = 0;
  /** Sections in or near sight; the others are redrawn when they come into it. */
  private readonly inSight = new Set<Element>();
  private readonly stale = new Set<Section>();
  private readonly watcher: IntersectionObserver;
  private watching = false;
  /** The observer has reported where the sections are. */
  private sighted = false;

  constructor(
    public data: RunData,
    private readonly live: { reload(): void; complexity: boolean } | null,
  ) {
    this.sections = [
      this.header,
      new CurvesSection(),
      new AtomsSection(),
      new NeuronSection(),
      new ConfusionSection(),
      this.complexity,
      new GoalSection(),
      new ConfigSection(),
    ];
    this.root.append(...this.sections.map((s) => s.root));
    this.watcher = new IntersectionObserver(
      (entries) => {
        this.sighted = true;
        for (const entry of entries) {
          if (!entry.isIntersecting) {
            this.inSight.delete(entry.target);
            continue;
          }
          this.inSight.add(entry.target);
          const section = this.sections.find((s) => s.root === entry.target);
          if (section && this.stale.delete(section)) section.update(this.data);
        }
      },
      { rootMargin: "0px" },
    );

    if (live?.complexity) {
      this.complexity.measure = async () => {
        this.data.complexity = decodeComplexity(
          await api(`runs/${encodeURIComponent(data.name)}/complexity`),
        );
        this.updateNow();
      };
    }
    if (live) {
      this.stream = followRun(
        data,
        () => this.update(),
        () => live.reload(),
      );
    }
    this.updateNow();
  }

  /** Draw the changes at the next frame (several events in one frame draw once). */
  update(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.updateNow();
    });
  }

  /**
   * Draw every section now: all of them the first time, later those in sight (a live run's
   * epochs arrive many times a second; a section out of sight is redrawn when it comes into it).
   */
  updateNow(): void {
    // Sight is known once the view is in the page (and the observer has reported); until then all is drawn.
    if (!this.watching && this.root.isConnected) {
      this.watching = true;
      for (const section of this.sections) this.watcher.observe(section.root);
    }
    for (const section of this.sections) {
      if (!this.sighted || this.inSight.has(section.root)) section.update(this.data);
      else this.stale.add(section);
    }
    if (this.live) this.drawControls();
    this.updates++;
    if (this.updates === 1) performance.mark("lab:drawn");
    document.body.dataset.ready = "1";
    document.body.dataset.epochs = String(this.data.epochsDone);
  }

  close(): void {
    this.watcher.disconnect();
    this.stream?.close();
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
  }

  /** Live mode: who trains the run, and stop / resume / download. */
  private controlsShown = "";

  private drawControls(): void {
    const { status, name, config } = this.data;
    const done = this.data.epochsDone;
    const target = status?.target || config.training.epochs;
    // Redrawn only when they change (an input being typed in must stay).
    const key = JSON.stringify([status, done, target]);
    if (key === this.controlsShown) return;
    this.controlsShown = key;
    const controls: (Node | string)[] = [];
    const message = el("span", { class: "error", id: "run-error" });
    const path = `runs/${encodeURIComponent(name)}`;
    const act = (button: HTMLButtonElement, request: () => Promise<unknown>) => {
      button.addEventListener("click", () => {
        button.disabled = true;
        request().catch((err: Error) => {
          message.textContent = err instanceof ApiError ? err.message : String(err);
          button.disabled = false;
        });
      });
      return button;
    };
    const state = status?.state ?? "stopped";
    const text =
      state === "training" || state === "starting"
        ? `${state}${status?.pid ? ` (process ${status.pid}${status.startedHere ? ", started here" : ", not started by this lab"})` : ""}: epoch ${done} of ${target}`
        : state === "failed"
          ? `failed: ${status?.message ?? "the training process ended with an error"}`
          : state === "finished"
            ? `finished: ${done} of ${target} epochs`
            : `stopped at epoch ${done} of ${target}`;
    controls.push(
      el("span", { class: `status status-${state}`, id: "run-status", "data-state": state }, [
        text,
      ]),
    );
    if ((state === "training" || state === "starting") && status?.startedHere) {
      controls.push(
        act(el("button", { type: "button", id: "stop-run" }, ["Stop (checkpoint)"]), () =>
          post(`${path}/stop`, {}),
        ),
      );
    }
    if (state === "stopped" || state === "finished" || state === "failed") {
      const epochs = el("input", {
        type: "number",
        id: "resume-epochs",
        min: String(Math.max(1, done)),
        value: String(Math.max(target, done + (state === "finished" ? 10 : 0))),
      });
      controls.push(
        el("label", {}, ["train up to ", epochs, " epochs "]),
        act(
          el("button", { type: "button", id: "resume-run" }, [
            state === "finished" ? "Extend" : "Resume",
          ]),
          () => post(`${path}/resume`, { epochs: Number(epochs.value) }),
        ),
      );
    }
    controls.push(
      el("a", { href: `api/${path}/archive`, download: `${name}.zip` }, ["download .zip"]),
      message,
    );
    this.header.controls.replaceChildren(...controls);
  }
}

function decodeComplexity(json: unknown): RunData["complexity"] {
  return json as RunData["complexity"];
}

/** The run `name` from the lab server, followed live. */
export async function loadRunView(
  name: string,
  live: { reload(): void; complexity: boolean },
  early: Promise<ArrayBuffer> | null = null,
): Promise<RunView> {
  const bytes = await (early ?? fetchRun(name));
  performance.mark("lab:fetched");
  const data = RunData.fromBinary(bytes);
  performance.mark("lab:decoded");
  return new RunView(data, live);
}

/** The run's payload in binary form (started early by the app, before it knows the server's info). */
export function fetchRun(name: string): Promise<ArrayBuffer> {
  return apiBytes(`runs/${encodeURIComponent(name)}`);
}
