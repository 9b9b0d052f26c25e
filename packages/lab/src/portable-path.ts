/** Paths as a shareable report shows them: no absolute path of the machine that wrote it. */

import { homedir } from "node:os";
import { basename, isAbsolute, relative, resolve, sep } from "node:path";
import type { RunConfig } from "@infomorph/runs";

/**
 * `text` with its leading path made portable: under `home` as ~/…; otherwise, when it shares
 * a top-level folder with `runDir`, relative to the run folder (../../data/mnist); otherwise
 * unchanged (system folders such as /usr/share/datasets/fashion-mnist, names that are no
 * path). Text after the path (" (downloaded from …)") is kept.
 *
 * @example portablePath("/h/ada/.cache/infomorph/mnist (downloaded from …)", "/data/runs/a", "/h/ada") // "~/.cache/infomorph/mnist (downloaded from …)"
 * @example portablePath("/data/mnist", "/data/runs/a", "/h/ada") // "../../mnist"
 */
export function portablePath(text: string, runDir: string, home: string): string {
  const cut = text.indexOf(" (");
  const path = cut < 0 ? text : text.slice(0, cut);
  const rest = cut < 0 ? "" : text.slice(cut);
  if (!isAbsolute(path) || !isAbsolute(runDir)) return text;
  if (home.length > 1 && (path === home || path.startsWith(`${home}${sep}`))) {
    return `~${path.slice(home.length)}${rest}`;
  }
  const top = (p: string) => p.split(sep).find((part) => part !== "");
  if (top(path) === undefined || top(path) !== top(runDir)) return text;
  return `${relative(runDir, path) || "."}${rest}`;
}

/** The run folder as a report names it: its own name. */
export function runName(runDir: string): string {
  return basename(runDir);
}

/**
 * The run config as the page shows it: data paths without the machine's absolute folders
 * (portablePath), since a report is shared; the run folder's config.json keeps the real ones.
 * `runDir` may be relative (as typed on the command line): it is resolved against the working
 * folder first, or the paths would be left absolute.
 */
export function portableConfig<C extends RunConfig>(
  config: C,
  runDir: string,
  home = homedir(),
): C {
  const dir = resolve(runDir);
  const portable = (text: string) => portablePath(text, dir, home);
  const [, scheme, path] = /^(csv:|idx:)?(.*)$/s.exec(config.data.dataset) ?? [];
  const data = {
    ...config.data,
    dataset: `${scheme ?? ""}${portable(path ?? "")}`,
    dataDir: config.data.dataDir && portable(config.data.dataDir),
    source: portable(config.data.source),
  };
  return { ...config, data };
}
