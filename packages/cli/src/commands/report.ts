/** `infomorph report`: write a run folder's report, one self-contained HTML page of curves, atom trajectories, receptive fields, confusion matrices, representational complexity, goal and config. */

import { REPORT_FILE, writeReport } from "@infomorph/lab";
import { defineCommand } from "../cli/command.js";
import { openHiddenLayer } from "../training/hidden-layer.js";

export const reportCommand = defineCommand({
  name: "report",
  summary: "write a run's report: one self-contained HTML page to open in any browser, offline.",
  positionals: [
    {
      name: "DIR",
      description: "the run folder 'infomorph train' or 'infomorph memory' wrote",
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
    const { path, bytes } = await writeReport(
      args.positionals[0],
      openHiddenLayer(io.env),
      args.flags.out,
    );
    io.stderr.write(`wrote ${(bytes / 2 ** 20).toFixed(1)} MiB; open it in a browser:\n`);
    io.stdout.write(`${path}\n`);
  },
});
