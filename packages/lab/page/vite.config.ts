/**
 * Builds the page (page/index.html and everything it loads) into dist/page/: what
 * `infomorph lab` serves and what `infomorph report` inlines into one file. Relative asset
 * URLs (base "./"), so the page works under any path; one script for the page itself (no
 * split chunks, so the report can inline it), module workers for the in-page training; the
 * embedded digits as an asset (build/digits-asset.ts); a manifest that names the files.
 */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Plugin, defineConfig } from "vite";
import { digitsAsset, digitsSource } from "./build/digits-asset.js";

/**
 * `virtual:infomorph-digits`: the digits asset, emitted as assets/digits-<hash>.bin, as
 * { url, source } (source: where the digits come from, in the CLI's words).
 */
function embeddedDigits(): Plugin {
  const id = "virtual:infomorph-digits";
  return {
    name: "infomorph-digits",
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(resolved) {
      if (resolved !== `\0${id}`) return null;
      const ref = this.emitFile({ type: "asset", name: "digits.bin", source: digitsAsset() });
      const source = JSON.stringify(digitsSource());
      return `export default { url: import.meta.ROLLUP_FILE_URL_${ref}, source: ${source} };`;
    },
  };
}

const { version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { version: string };

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  logLevel: "warn",
  define: { __LAB_VERSION__: JSON.stringify(version) },
  plugins: [embeddedDigits()],
  worker: { format: "es", plugins: () => [embeddedDigits()] },
  build: {
    outDir: fileURLToPath(new URL("../dist/page", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    manifest: true,
    modulePreload: false,
    assetsInlineLimit: 0,
    sourcemap: false,
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
});
