/**
 * Editing a layer's goal: the papers' goals as presets, a slider and a number per atom (and
 * H_res), and the goal as text in the CLI's --goal syntax (core's parseGoal and formatGoal),
 * all kept in step. The training form and the in-page training use it.
 */

import {
  NAMED_GOALS,
  formatGoal,
  goalFromVector,
  lattice,
  namedGoal,
  parseGoal,
} from "@infomorph/core";
import { el, weightText } from "../app/dom.js";

/** γ sliders span the papers' search range. */
const SLIDER_RANGE = 1;

export class GoalEditor {
  readonly root: HTMLElement;
  private readonly preset = el("select", {
    class: "goal-preset",
    "aria-label": "the papers' goals",
  });
  private readonly text = el("input", {
    type: "text",
    class: "goal-text",
    spellcheck: "false",
    "aria-label": "goal",
  });
  private readonly error = el("p", { class: "error goal-error" });
  private readonly sliders: HTMLInputElement[] = [];
  private readonly numbers: HTMLInputElement[] = [];
  private readonly names: string[];
  private gamma: Float64Array;
  /** Called with the goal as text (a named goal's name, else its weights) after every change. */
  onChange: ((goal: string) => void) | null = null;

  constructor(
    private readonly sources: readonly string[],
    initial: string,
  ) {
    const lat = lattice(sources.length);
    this.names = [...lat.names.map((_, i) => lat.alias(i, sources)), "H_res"];
    this.gamma = new Float64Array(this.names.length);
    const fitting = NAMED_GOALS.filter(
      (name) => namedGoal(name).classNames.join() === sources.join(),
    );
    this.preset.append(
      el("option", { value: "" }, ["custom"]),
      ...fitting.map((n) => el("option", { value: n }, [n])),
    );
    const rows = this.names.map((name, v) => {
      const slider = el("input", {
        type: "range",
        min: -SLIDER_RANGE,
        max: SLIDER_RANGE,
        step: "0.001",
        "data-atom": name,
        "aria-label": `γ ${name}`,
      });
      const number = el("input", {
        type: "number",
        step: "0.001",
        "data-atom": name,
        "aria-label": `γ ${name} value`,
      });
      slider.addEventListener("input", () => this.setWeight(v, Number(slider.value), slider));
      number.addEventListener("change", () => this.setWeight(v, Number(number.value), number));
      this.sliders.push(slider);
      this.numbers.push(number);
      return el("div", { class: "goal-row" }, [
        el("span", { class: "atom" }, [name]),
        slider,
        number,
      ]);
    });
    this.preset.addEventListener("change", () => {
      if (this.preset.value !== "") this.setText(this.preset.value);
    });
    this.text.addEventListener("change", () => this.setText(this.text.value));
    this.root = el("div", { class: "goal-editor" }, [
      el("div", { class: "controls" }, [
        el("label", {}, ["papers' goals ", this.preset]),
        el("label", { class: "grow" }, ["goal ", this.text]),
      ]),
      this.error,
      el("div", { class: "goal-rows" }, rows),
    ]);
    this.setText(initial, false);
  }

  /** The goal as text: a named goal's name while it is unchanged, else its non-zero weights. */
  get value(): string {
    return this.text.value;
  }

  /** Set the goal from text (CLI syntax); a bad goal shows the parser's message and keeps the last one. */
  setText(text: string, notify = true): void {
    try {
      const g = parseGoal(text.trim(), { sources: this.sources.length, classNames: this.sources });
      this.gamma = g.gamma;
      const named = NAMED_GOALS.includes(text.trim() as (typeof NAMED_GOALS)[number]);
      this.text.value = named ? text.trim() : formatGoal(g);
      this.preset.value = named ? text.trim() : "";
      this.error.textContent = "";
      this.show();
      if (notify) this.onChange?.(this.text.value);
    } catch (err) {
      this.error.textContent = (err as Error).message;
    }
  }

  private setWeight(v: number, value: number, from: HTMLInputElement): void {
    if (!Number.isFinite(value)) return;
    this.gamma[v] = value;
    const g = goalFromVector(this.gamma, {
      sources: this.sources.length,
      classNames: this.sources,
    });
    this.text.value = formatGoal(g);
    this.preset.value = "";
    this.error.textContent = "";
    this.show(from);
    this.onChange?.(this.text.value);
  }

  private show(except?: HTMLInputElement): void {
    this.gamma.forEach((g, v) => {
      if (this.sliders[v] !== except) this.sliders[v].value = String(g);
      if (this.numbers[v] !== except) this.numbers[v].value = weightText(g);
      this.sliders[v].closest(".goal-row")?.classList.toggle("zero", g === 0);
    });
  }
}
