/** The in-page training's settings in the page's address (#/play?preset=…&goal=…&n=…&samples=…&batch=…&epochs=…&seed=…&threads=…), so a shared link reproduces the experiment; missing or bad values take the defaults. */

import type { PlaySettings } from "../worker/protocol.js";

export const PLAY_PRESETS = [
  "trivariate",
  "trivariate-heuristic",
  "trivariate-sparse",
  "trivariate-feedback",
] as const;

export const DEFAULT_SETTINGS: PlaySettings = {
  preset: "trivariate",
  goal: "trivariate-opt1",
  hidden: 100,
  trainSamples: 5000,
  batchSize: 1024,
  epochs: 20,
  seed: 1,
  threads: 1,
};

/** Largest sizes the page offers (a larger model does not fit a tab's memory comfortably). */
export const LIMITS = {
  hidden: 1000,
  trainSamples: 7000,
  batchSize: 7000,
  epochs: 1000,
  threads: 16,
};

const KEYS: Record<Exclude<keyof PlaySettings, "preset" | "goal">, string> = {
  hidden: "n",
  trainSamples: "samples",
  batchSize: "batch",
  epochs: "epochs",
  seed: "seed",
  threads: "threads",
};

/** Settings from the query of a #/play address (defaults for what is missing or out of range). */
export function settingsFromQuery(query: string): PlaySettings {
  const params = new URLSearchParams(query);
  const settings = { ...DEFAULT_SETTINGS };
  const preset = params.get("preset");
  if (preset && (PLAY_PRESETS as readonly string[]).includes(preset)) settings.preset = preset;
  const goal = params.get("goal");
  if (goal) settings.goal = goal;
  for (const [key, name] of Object.entries(KEYS) as [keyof typeof KEYS, string][]) {
    const value = Number(params.get(name));
    const max = key === "seed" ? 2 ** 31 - 1 : LIMITS[key];
    const min = key === "seed" ? 0 : 1;
    if (params.has(name) && Number.isInteger(value) && value >= min && value <= max)
      settings[key] = value;
  }
  return settings;
}

/** The query that settingsFromQuery reads back to `settings`. */
export function queryFromSettings(settings: PlaySettings): string {
  const params = new URLSearchParams({ preset: settings.preset, goal: settings.goal });
  for (const [key, name] of Object.entries(KEYS) as [keyof typeof KEYS, string][])
    params.set(name, String(settings[key]));
  return params.toString();
}
