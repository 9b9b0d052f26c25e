/** The runs folder: every run with its preset, data, progress, best validation accuracy and whether it trains now, and every goal-search study with its trials and best value so far; refreshed every few seconds. An exported run (.zip) can be added to the folder here. */

import type { RunListEntry, StudyListEntry } from "../../../src/payload.js";
import { ApiError, api } from "../api/client.js";
import { el, percent } from "../app/dom.js";
import type { View } from "./view.js";

const REFRESH_MS = 2000;

export class RunsView implements View {
  readonly root = el("main", { class: "runs-view" });
  private readonly table = el("table", { id: "runs" });
  private readonly note = el("p", { class: "note" });
  private readonly importError = el("p", { class: "error", id: "import-error" });
  /** Shown only when the folder holds a study: most labs never see one. */
  private readonly studies = el("section", { id: "studies", hidden: true });
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor() {
    const file = el("input", { type: "file", accept: ".zip,application/zip", id: "import-file" });
    file.addEventListener("change", () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      this.importRun(chosen).finally(() => {
        file.value = "";
      });
    });
    this.root.append(
      el("section", {}, [
        el("h1", {}, ["Runs"]),
        this.note,
        this.table,
        el("div", { class: "controls" }, [
          el("a", { href: "#/train", class: "button" }, ["New training"]),
          el("label", {}, ["add an exported run (.zip) ", file]),
        ]),
        this.importError,
      ]),
      this.studies,
    );
    this.refresh();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async refresh(): Promise<void> {
    try {
      const list = await api<{ root: string; runs: RunListEntry[]; studies: StudyListEntry[] }>(
        "runs",
      );
      this.show(list.root, list.runs);
      this.showStudies(list.studies);
    } catch (err) {
      this.note.textContent = `Could not list the runs: ${(err as Error).message}`;
    }
    if (!this.closed) this.timer = setTimeout(() => this.refresh(), REFRESH_MS);
  }

  private show(root: string, runs: RunListEntry[]): void {
    this.note.textContent =
      runs.length === 0
        ? `No runs in ${root} yet. Start one with New training, or train in the page.`
        : `${runs.length} run${runs.length === 1 ? "" : "s"} in ${root}, newest first.`;
    const head = [
      "run",
      "preset",
      "data",
      "hidden",
      "epochs",
      "validation (last)",
      "best validation",
      "status",
      "created",
    ];
    this.table.replaceChildren(
      el(
        "tr",
        {},
        head.map((h) => el("th", {}, [h])),
      ),
      ...runs.map((r) =>
        el("tr", { "data-run": r.name, "data-state": r.status.state }, [
          el("td", {}, [el("a", { href: `#/run/${encodeURIComponent(r.name)}` }, [r.name])]),
          el("td", {}, [r.preset]),
          el("td", {}, [r.dataset]),
          el("td", { class: "num" }, [String(r.hidden)]),
          el("td", { class: "num" }, [`${r.epochs.completed} / ${r.epochs.target}`]),
          el("td", { class: "num" }, [percent(r.validation)]),
          el("td", { class: "num" }, [percent(r.bestValidation)]),
          el("td", {}, [
            r.status.state === "failed" ? `failed: ${r.status.message ?? ""}` : r.status.state,
          ]),
          el("td", {}, [r.created.replace("T", " ").slice(0, 19)]),
        ]),
      ),
    );
  }

  private showStudies(studies: StudyListEntry[]): void {
    this.studies.hidden = studies.length === 0;
    const head = ["study", "sampler", "trials done", "best value", "status", "started"];
    this.studies.replaceChildren(
      el("h2", {}, ["Studies"]),
      el("p", { class: "note" }, [
        "Goal searches (infomorph search) in this folder; a study's page shows its trials so far.",
      ]),
      el("table", {}, [
        el(
          "tr",
          {},
          head.map((h) => el("th", {}, [h])),
        ),
        ...studies.map((s) =>
          el("tr", { "data-study": s.name, "data-state": s.state }, [
            // The page is rendered by the server (no script), so it is a plain link, not a view.
            el("td", {}, [
              el("a", { href: `api/studies/${encodeURIComponent(s.name)}` }, [s.name]),
            ]),
            el("td", {}, [s.sampler]),
            el("td", { class: "num" }, [
              `${s.trials.done} / ${s.trials.total}${s.trials.asked > s.trials.done ? ` (${s.trials.asked - s.trials.done} running)` : ""}`,
            ]),
            el("td", { class: "num" }, [percent(s.best)]),
            el("td", {}, [s.state === "failed" ? `unreadable: ${s.message ?? ""}` : s.state]),
            el("td", {}, [(s.started ?? "").replace("T", " ").slice(0, 19)]),
          ]),
        ),
      ]),
    );
  }

  private async importRun(file: File): Promise<void> {
    this.importError.textContent = "";
    const name = file.name.replace(/\.zip$/i, "").replace(/[^A-Za-z0-9._-]+/g, "-");
    try {
      await api(`import?name=${encodeURIComponent(name)}`, {
        method: "POST",
        headers: { "Content-Type": "application/zip" },
        body: await file.arrayBuffer(),
      });
      location.hash = `#/run/${encodeURIComponent(name)}`;
    } catch (err) {
      this.importError.textContent = err instanceof ApiError ? err.message : String(err);
    }
  }
}
