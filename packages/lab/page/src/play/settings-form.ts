/** The in-page training's settings as form fields: preset, sizes, epochs, seed and threads (one thread where the page is not cross-origin isolated); every change goes to `changed` (the view puts it in the address). */

import { el } from "../app/dom.js";
import type { PlaySettings } from "../worker/protocol.js";
import { LIMITS, PLAY_PRESETS } from "./url-state.js";

type NumberSetting = "hidden" | "trainSamples" | "batchSize" | "epochs" | "seed" | "threads";

export function settingsForm(s: PlaySettings, changed: () => void): HTMLElement {
  const isolated = globalThis.crossOriginIsolated === true;
  const number = (key: NumberSetting, label: string, max: number) => {
    const min = key === "seed" ? 0 : 1;
    const input = el("input", {
      type: "number",
      min,
      max,
      step: 1,
      value: s[key],
      id: `play-${key}`,
    });
    input.addEventListener("change", () => {
      const value = Math.round(Number(input.value));
      if (Number.isFinite(value)) s[key] = Math.max(min, Math.min(max, value));
      input.value = String(s[key]);
      changed();
    });
    return el("label", {}, [label, " ", input]);
  };
  const preset = el(
    "select",
    { id: "play-preset" },
    PLAY_PRESETS.map((p) => el("option", { value: p }, [p])),
  );
  preset.value = s.preset;
  preset.addEventListener("change", () => {
    s.preset = preset.value;
    changed();
  });
  if (!isolated) s.threads = 1;
  return el("div", { class: "controls" }, [
    el("label", {}, ["preset ", preset]),
    number("hidden", "hidden neurons", LIMITS.hidden),
    number("trainSamples", "training digits", LIMITS.trainSamples),
    number("batchSize", "batch", LIMITS.batchSize),
    number("epochs", "epochs", LIMITS.epochs),
    number("seed", "seed", 2 ** 31 - 1),
    isolated
      ? number("threads", "threads", Math.min(LIMITS.threads, navigator.hardwareConcurrency || 1))
      : el("span", { class: "note" }, [
          "1 thread (threads need a cross-origin isolated page, as infomorph lab serves)",
        ]),
  ]);
}
