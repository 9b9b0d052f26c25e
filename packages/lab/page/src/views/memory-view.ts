/**
 * The memory view: the report of a memory run (`infomorph memory`), embedded by `infomorph
 * report`: header, capacity per rule, storage curves, basins, atoms over loads, config. A
 * finished or partial scan is drawn once; nothing in it changes while the page is open.
 */

import { el } from "../app/dom.js";
import { memoryAtomsSection } from "../memory/atoms.js";
import { capacitySection, memoryHeader } from "../memory/header.js";
import type { MemoryPayload } from "../memory/memory-payload.js";
import { basinsSection, storageSection } from "../memory/storage.js";
import { ConfigSection } from "../run/config-section.js";
import type { View } from "./view.js";

export class MemoryView implements View {
  readonly root: HTMLElement;

  constructor(readonly data: MemoryPayload) {
    const config = new ConfigSection();
    config.update(data);
    this.root = el("main", { class: "memory-view" }, [
      memoryHeader(data),
      capacitySection(data),
      storageSection(data),
      basinsSection(data),
      memoryAtomsSection(data),
      config.root,
    ]);
    document.body.dataset.ready = "1";
  }

  close(): void {}
}
