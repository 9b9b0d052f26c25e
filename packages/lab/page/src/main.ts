/** The page's entry: the styles, then the app (app/app.ts decides the mode and the view). */

import "./style.css";
import { startApp } from "./app/app.js";

startApp(document.getElementById("app") as HTMLElement).catch((err: unknown) => {
  document.body.textContent = `The page failed to start: ${(err as Error).message}`;
});
