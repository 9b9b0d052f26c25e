/** `infomorph search report STUDY`: a study's report page: optimisation history, best goals beside the papers' goals, parameter importance, failed trials. */

import { join } from "node:path";
import { InfomorphError } from "@infomorph/core";
import { STUDY_REPORT_FILE, writeStudyReport } from "@infomorph/lab";
import { readFolderStudy, readPgStudyFrom } from "@infomorph/search";
import { defineCommand } from "../cli/command.js";

export const searchReportCommand = defineCommand({
  name: "search report",
  summary:
    "write a goal-search study's report: one self-contained HTML page (history, best goals beside the papers' goals, parameter importance, failed trials).",
  positionals: [
    {
      name: "STUDY",
      description: "the study folder (or, with --db, the study's name)",
      required: true,
    },
  ],
  flags: [
    {
      name: "db",
      type: "string",
      placeholder: "URL",
      description:
        "read the study from this PostgreSQL database (as given to infomorph search --db)",
    },
    {
      name: "out",
      type: "string",
      placeholder: "FILE",
      description: `where to write the page (default: STUDY/${STUDY_REPORT_FILE}; with --db, STUDY-report.html)`,
    },
  ],
  example: "infomorph search report runs/search-demo",
  async run(args, io) {
    const study = args.positionals[0];
    const { db, out } = args.flags;
    if (db === undefined && study.length === 0) {
      throw new InfomorphError({
        code: "usage/missing-argument",
        path: ["STUDY"],
        message: "give the study folder.",
      });
    }
    const contents = db === undefined ? readFolderStudy(study) : await readPgStudyFrom(db, study);
    const path =
      out ?? (db === undefined ? join(study, STUDY_REPORT_FILE) : `${study}-report.html`);
    const { bytes } = writeStudyReport(contents, path);
    io.stderr.write(`wrote ${(bytes / 1024).toFixed(0)} KiB; open it in a browser:\n`);
    io.stdout.write(`${path}\n`);
  },
});
