/** A run's config.json, folded (a training run's and a memory run's alike). */

import { el } from "../app/dom.js";

export class ConfigSection {
  readonly root = el("section", { id: "config" });

  update(data: { readonly config: unknown }): void {
    if (this.root.childElementCount > 0) return;
    this.root.append(
      el("details", {}, [
        el("summary", {}, ["Run config (config.json)"]),
        el("pre", {}, [JSON.stringify(data.config, null, 2)]),
      ]),
    );
  }
}
