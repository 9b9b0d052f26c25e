/** The registry of commands: add a command by importing it and adding one line to `commands`. */

import type { Command } from "../cli/command.js";
import { dataCommand } from "./data.js";
import { labCommand } from "./lab.js";
import { memoryCommand } from "./memory.js";
import { pidCommand } from "./pid.js";
import { reportCommand } from "./report.js";
import { searchReportCommand } from "./search-report.js";
import { searchCommand } from "./search.js";
import { sensitivityCommand } from "./sensitivity.js";
import { trainCommand } from "./train.js";
import { workerCommand } from "./worker.js";

/** Every `infomorph <name>` command, in the order `infomorph --help` lists them. */
export const commands: Record<string, Command> = {
  train: trainCommand,
  pid: pidCommand,
  report: reportCommand,
  lab: labCommand,
  sensitivity: sensitivityCommand,
  memory: memoryCommand,
  search: searchCommand,
  "search report": searchReportCommand,
  worker: workerCommand,
  data: dataCommand,
};
