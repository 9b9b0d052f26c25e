/**
 * The page's shell: which mode it runs in, and which view the address shows.
 *
 * - Static (`infomorph report`): the run is embedded in the page (#run-data); its view
 *   alone, offline: the memory view where the payload says `view: "memory"` (a memory run),
 *   the run view otherwise.
 * - Live (`infomorph lab`): the lab server answers api/info; views: #/ the runs, #/run/NAME a
 *   run followed while it trains, #/train a new training, #/play training in the page.
 * - Anywhere else (the built page on a static host): #/play only.
 *
 * A new kind of run folder is a new view file in views/ and one route below, as the memory
 * view is; a goal-search study is listed by the runs view and opens the page the server
 * renders for it (lab/src/study/).
 */

import { api } from "../api/client.js";
import { decodeMemoryPayload, isMemoryPayload } from "../memory/memory-payload.js";
import { RunData } from "../run/run-data.js";
import { MemoryView } from "../views/memory-view.js";
import { PlayView } from "../views/play-view.js";
import { RunView, fetchRun, loadRunView } from "../views/run-view.js";
import { RunsView } from "../views/runs-view.js";
import { TrainView } from "../views/train-view.js";
import type { View } from "../views/view.js";
import { el } from "./dom.js";

/** What the lab server says of itself (GET api/info). */
interface LabInfo {
  version: string;
  runs: string;
  /** Whether the server can start trainings. */
  training: boolean;
  /** Whether it can measure representational complexity (it reads the runs' datasets). */
  complexity: boolean;
}

/** The page's state for scripts: the view shown (tests and benchmarks read it). */
export interface LabHandle {
  mode: "static" | "live" | "standalone";
  view: View | null;
}

declare global {
  var infomorphLab: LabHandle;
}

export async function startApp(root: HTMLElement): Promise<void> {
  const handle: LabHandle = { mode: "standalone", view: null };
  globalThis.infomorphLab = handle;
  const embedded = document.getElementById("run-data");
  if (embedded) {
    handle.mode = "static";
    const json: unknown = JSON.parse(embedded.textContent ?? "null");
    const view = isMemoryPayload(json)
      ? new MemoryView(decodeMemoryPayload(json))
      : new RunView(RunData.decode(json), null);
    handle.view = view;
    root.replaceChildren(view.root);
    return;
  }
  // The lab server marks the page it serves (src/server/page-files.ts); elsewhere there is no API to ask.
  const served = document.querySelector('meta[name="infomorph-lab-server"]') !== null;
  // A run's address: its payload is asked for at once, beside the server's info.
  const first = served ? /^#\/run\/([^?]+)/.exec(location.hash) : null;
  let early: Promise<ArrayBuffer> | null = first ? fetchRun(decodeURIComponent(first[1])) : null;
  early?.catch(() => {}); // the view reports it, if it still matters
  let info: LabInfo | null = null;
  if (served) {
    info = await api<LabInfo>("info");
    handle.mode = "live";
  }
  const nav = el("nav", {}, [
    el("b", {}, ["infomorph lab"]),
    info ? el("a", { href: "#/" }, ["Runs"]) : null,
    info?.training ? el("a", { href: "#/train" }, ["New training"]) : null,
    el("a", { href: "#/play" }, ["Train in the page"]),
    info
      ? el("span", { class: "note" }, [`runs folder ${info.runs} · infomorph ${info.version}`])
      : null,
  ]);
  const content = el("div");
  root.replaceChildren(nav, content);

  let navigation = 0;
  let shownPath: string | null = null;
  const show = async () => {
    const id = ++navigation;
    handle.view?.close();
    handle.view = null;
    const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
    let view: View;
    try {
      if (info && path.startsWith("/run/")) {
        const name = decodeURIComponent(path.slice("/run/".length));
        view = await loadRunView(
          name,
          { reload: () => show(), complexity: info.complexity },
          early,
        );
        early = null;
      } else if (info?.training && path === "/train") {
        view = new TrainView();
      } else if (path === "/play" || !info) {
        view = new PlayView(query, (q) => history.replaceState(null, "", `#/play?${q}`));
      } else {
        view = new RunsView();
      }
    } catch (err) {
      view = {
        root: el("main", {}, [
          el("section", {}, [
            el("p", { class: "error", id: "view-error" }, [(err as Error).message]),
          ]),
        ]),
        close() {},
      };
    }
    if (id !== navigation) {
      view.close(); // the user moved on while it loaded
      return;
    }
    handle.view = view;
    content.replaceChildren(view.root);
    // Another view starts at its top; the same one loaded again (a run's first epoch) stays put.
    if (path !== shownPath) window.scrollTo(0, 0);
    shownPath = path;
    document.body.dataset.view = path || "/";
  };
  window.addEventListener("hashchange", () => void show());
  await show();
}
