/** Test helper: a lab server over a runs folder as the tests use it (the built CLI trains, on one thread). */

import { resolve } from "node:path";
import { openHiddenLayer } from "infomorph/hidden-layer";
import { type LabServer, startLabServer } from "../src/server/lab-server.js";

/** The infomorph command the lab's trainings run: the built CLI of this checkout. */
const CLI = resolve("packages/cli/bin/infomorph.js");

/** A lab serving `runs`, whose trainings run the built CLI with --threads 1. */
export function startTestLab(runs: string): Promise<LabServer> {
  return startLabServer({
    runs,
    trainCommand: [process.execPath, CLI],
    threads: 1,
    version: "test",
    openHiddenLayer: openHiddenLayer({}),
  });
}
