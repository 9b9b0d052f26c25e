/**
 * The built page (dist/page: index.html and assets/, made by `npm run build` with Vite) as
 * the server sends it. Only the files the build made are served, looked up by name in a list
 * made at start, never by a path from the request.
 */

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InfomorphError } from "@infomorph/core";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".bin": "application/octet-stream",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * The built page's folder: dist/page next to this module's dist/server, or, when this module
 * runs from its TypeScript source (tests), the package's dist/page.
 */
export function builtPageDir(): string {
  const here = import.meta.url;
  return fileURLToPath(
    here.endsWith(".ts") ? new URL("../../dist/page/", here) : new URL("../page/", here),
  );
}

/** The meta tag that tells the page a lab server serves it. */
export const SERVED_BY_LAB = "infomorph-lab-server";

export interface PageFile {
  body: Buffer;
  type: string;
  /** Hashed asset names never change content: cache them for good. */
  immutable: boolean;
}

export class PageFiles {
  private readonly files = new Map<string, PageFile>();

  constructor(readonly dir: string = builtPageDir()) {
    if (!existsSync(join(dir, "index.html"))) {
      throw new InfomorphError({
        code: "lab/page-not-built",
        path: [dir],
        message: `the lab's page is not built (${join(dir, "index.html")} is missing). Run npm run build.`,
      });
    }
    // The page learns that a lab server serves it (and asks it for runs) from this tag;
    // the same page on a static host has none and offers training in the page alone.
    const index = readFileSync(join(dir, "index.html"), "utf8").replace(
      "</head>",
      `<meta name="${SERVED_BY_LAB}" content="1">\n</head>`,
    );
    this.files.set("/", { body: Buffer.from(index), type: TYPES[".html"], immutable: false });
    for (const name of readdirSync(join(dir, "assets"))) {
      const type = TYPES[extname(name)];
      if (type)
        this.files.set(`/assets/${name}`, {
          body: readFileSync(join(dir, "assets", name)),
          type,
          immutable: true,
        });
    }
  }

  /** The file for a URL path ("/", "/assets/x.js"), or null. */
  get(path: string): PageFile | null {
    return this.files.get(path === "/index.html" ? "/" : path) ?? null;
  }

  /** The built page's script and stylesheet (what `infomorph report` inlines). */
  entry(): { script: string; style: string } {
    const manifest = JSON.parse(
      readFileSync(join(this.dir, ".vite", "manifest.json"), "utf8"),
    ) as Record<string, { file: string; isEntry?: boolean; css?: string[] }>;
    const entry = Object.values(manifest).find((e) => e.isEntry);
    if (!entry)
      throw new Error(
        `${this.dir}/.vite/manifest.json names no entry; rebuild the page (npm run build).`,
      );
    const text = (file: string) =>
      (this.files.get(`/${file}`)?.body ?? readFileSync(join(this.dir, file))).toString("utf8");
    return { script: text(entry.file), style: (entry.css ?? []).map(text).join("\n") };
  }
}
