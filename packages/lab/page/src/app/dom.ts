/** Building the page's elements: el() for an element with attributes and children, and the number formats every view uses. */

type Child = Node | string | null | undefined | false;

/** An element with attributes (`class`, `data-*`, …; `false`/null leaves one out) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | null | undefined> = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** A figure with a caption (text, or text and elements) above its body. */
export function figure(caption: readonly Child[], body: readonly Child[]): HTMLElement {
  return el("figure", {}, [el("figcaption", {}, caption), ...body]);
}

/** Facts as a grid of names over values; those named in `wide` take two columns (a long path). */
export function factList(
  facts: readonly (readonly [string, string])[],
  wide: readonly string[] = [],
): HTMLElement {
  return el(
    "dl",
    { class: "facts" },
    facts.map(([name, value]) =>
      el("div", { class: wide.includes(name) ? "wide" : null }, [
        el("dt", {}, [name]),
        el("dd", {}, [value]),
      ]),
    ),
  );
}

/** A section with its heading and a note under it (what it shows and how to read it). */
export function noteSection(id: string, title: string, note: string): HTMLElement {
  return el("section", { id }, [el("h2", {}, [title]), el("p", { class: "note" }, [note])]);
}

/** A legend: a swatch and a label per item (bands as blocks). */
export function legend(
  items: readonly { label: string; color: string; band?: boolean }[],
): HTMLElement {
  return el(
    "div",
    { class: "legend" },
    items.map((item) => {
      const swatch = el("i", { class: item.band ? "band" : "" });
      swatch.style.background = item.color;
      return el("span", {}, [swatch, item.label]);
    }),
  );
}

/** 0.9312 → "93.1%"; null → "-". */
export function percent(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "-" : `${(100 * x).toFixed(1)}%`;
}

/** A number with `digits` decimals, or in exponent form when it is tiny. */
export function fixed(x: number, digits: number): string {
  return Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : x.toFixed(digits);
}

/** γ as the page prints it: up to 4 significant digits. */
export function weightText(x: number): string {
  return String(+x.toPrecision(4));
}
