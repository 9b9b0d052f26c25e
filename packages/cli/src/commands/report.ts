/** `infomorph report`: write a run folder's report, one self-contained HTML page of curves, atom trajectories, the neuron map, receptive fields, confusion matrices, representational complexity, goal and config. A run exported as a .zip (the lab's in-page training exports them) is unpacked next to it first. */

import { existsSync, statSync } from "node:fs";
import { REPORT_FILE, writeReport } from "@infomorph/lab";
import { extractRunArchive } from "@infomorph/runs";
import { defineCommand } from "../cli/command.js";
import { openHiddenLayer } from "../training/hidden-layer.js";

export const reportCommand = defineCommand({
  name: "report",
  summary: "write a run's report: one self-contained HTML page to open in any browser, offline.",
  positionals: [
    {
      name: "DIR",
      description:
        "the run folder 'infomorph train' or 'infomorph memory' wrote, or a run exported as RUN.zip (unpacked into the folder RUN next to it)",
      required: true,
    },
  ],
  flags: [
    {
      name: "out",
      type: "string",
      placeholder: "FILE",
      description: `where to write the page (default: DIR/${REPORT_FILE})`,
    },
  ],
  example: "infomorph train --hidden 20 --epochs 2 --out runs/demo && infomorph report runs/demo",
  async run(args, io) {
    let dir = args.positionals[0];
    if (/\.zip$/i.test(dir) && existsSync(dir) && statSync(dir).isFile()) {
      const zip = dir;
      dir = zip.replace(/\.zip$/i, "");
      extractRunArchive(zip, dir);
      io.stderr.write(`unpacked ${zip} into the run folder ${dir}\n`);
    }
    const { path, bytes } = await writeReport(dir, openHiddenLayer(io.env), args.flags.out);
    io.stderr.write(`wrote ${(bytes / 2 ** 20).toFixed(1)} MiB; open it in a browser:\n`);
    io.stdout.write(`${path}\n`);
  },
});
