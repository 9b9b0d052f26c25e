/** The run's config.json, folded. */

import { el } from "../app/dom.js";
import type { RunData } from "./run-data.js";

export class ConfigSection {
  readonly root = el("section", { id: "config" });

  update(data: RunData): void {
    if (this.root.childElementCount > 0) return;
    this.root.append(
      el("details", {}, [
        el("summary", {}, ["Run config (config.json)"]),
        el("pre", {}, [JSON.stringify(data.config, null, 2)]),
      ]),
    );
  }
}
