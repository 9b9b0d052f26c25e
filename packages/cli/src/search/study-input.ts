/** A study as the user gives it to `infomorph search`: a config file (YAML or JSON) with flags on top, merged key by key. */

import { InfomorphError, type SamplerConfig } from "@infomorph/core";
import type { StudyInput } from "@infomorph/search";
import { readDataFile } from "../cli/settings.js";

/** The flags of `infomorph search` that set the study (camelCase values as parsed; undefined when not given). */
export interface StudyFlags {
  preset?: string;
  dataset?: string;
  dataDir?: string;
  hidden?: number;
  epochs?: number;
  batchSize?: number;
  trainSamples?: number;
  seeds?: string[];
  range?: string;
  fixed?: string;
  free?: string[];
  objective?: string;
  sampler?: string;
  samplerSeed?: number;
  startupTrials?: number;
  eiCandidates?: number;
  multivariate?: boolean;
  constantLiar?: boolean;
  trials?: number;
  retries?: number;
}

/** The study described by `file` (a path, or undefined) and the flags, the flags winning key by key. */
export function studyInput(file: string | undefined, flags: StudyFlags): StudyInput {
  const base = (file === undefined ? {} : readDataFile(file, "--config")) as StudyInput;
  if (base === null || typeof base !== "object" || Array.isArray(base)) {
    throw new InfomorphError({
      code: "study/invalid",
      path: [file ?? ""],
      message: `${file}: a study config is a mapping with keys trial, space, objective, sampler, trials, retries.`,
    });
  }
  const defined = <T extends object>(o: T): Partial<T> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const trial = defined({
    preset: flags.preset,
    dataset: flags.dataset,
    dataDir: flags.dataDir,
    hidden: flags.hidden,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    trainSamples: flags.trainSamples,
    seeds: flags.seeds?.map((s) => integerItem(s, "--seeds")),
  });
  const space = defined({
    range: flags.range === undefined ? undefined : rangeFlag(flags.range),
    fixed: flags.fixed === undefined ? undefined : weightsFlag(flags.fixed, "--fixed"),
    free: flags.free,
  });
  const sampler = defined({
    kind: flags.sampler as SamplerConfig["kind"] | undefined,
    seed: flags.samplerSeed,
    nStartupTrials: flags.startupTrials,
    nEiCandidates: flags.eiCandidates,
    multivariate: flags.multivariate || undefined,
    constantLiar: flags.constantLiar || undefined,
  });
  const samplerKindChanged = sampler.kind !== undefined && sampler.kind !== base.sampler?.kind;
  return {
    ...base,
    trial: { ...base.trial, ...trial },
    space: { ...base.space, ...space },
    objective:
      flags.objective === undefined
        ? base.objective
        : { ...base.objective, epoch: flags.objective as "last" | "best" },
    // A sampler of another kind than the file's takes none of the file's sampler options.
    sampler: samplerKindChanged ? sampler : { ...base.sampler, ...sampler },
    ...defined({ trials: flags.trials, retries: flags.retries }),
  };
}

/** "-1,1" → [-1, 1]. */
function rangeFlag(text: string): [number, number] {
  const parts = text.split(",").map((p) => Number(p.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite) || parts[0] >= parts[1]) {
    throw usage(
      "range",
      `--range must be LOW,HIGH with LOW < HIGH (got ${text}). Try --range=-1,1.`,
    );
  }
  return [parts[0], parts[1]];
}

/** "H_res=0, (F)=0.5" → { H_res: 0, "(F)": 0.5 } (the atoms are checked with the space). */
function weightsFlag(text: string, flag: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const eq = part.lastIndexOf("=");
    const value = Number(part.slice(eq + 1).trim());
    if (eq <= 0 || part.slice(eq + 1).trim() === "" || !Number.isFinite(value)) {
      throw usage(
        flag.slice(2),
        `${flag} takes ATOM=VALUE pairs separated by commas (got "${part}"). Try ${flag} 'H_res=0,(F)=0'.`,
      );
    }
    weights[part.slice(0, eq).trim()] = value;
  }
  return weights;
}

function integerItem(text: string, flag: string): number {
  if (!/^\d+$/.test(text))
    throw usage(
      flag.slice(2),
      `${flag} takes integers separated by commas (got ${text}). Try ${flag} 1,2,3.`,
    );
  return Number(text);
}

function usage(flag: string, message: string): InfomorphError {
  return new InfomorphError({ code: "usage/bad-value", path: [flag], message });
}
