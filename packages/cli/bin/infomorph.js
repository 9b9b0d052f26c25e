#!/usr/bin/env node
// The `infomorph` command. A committed shim, so that `npm install` can link the command
// before `npm run build` has produced dist/.
import { run } from "../dist/main.js";

process.exitCode = await run(process.argv.slice(2));
