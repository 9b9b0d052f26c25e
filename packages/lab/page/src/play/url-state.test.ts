import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, queryFromSettings, settingsFromQuery } from "./url-state.js";

describe("the in-page training's settings in the address", () => {
  it("reads back what it writes, goal text included", () => {
    const settings = {
      preset: "trivariate-sparse",
      goal: "(F)(C)(L)=0.33, (F)(C)=1, (F)(L)=-1, (FC)(FL)=-1",
      hidden: 37,
      trainSamples: 4096,
      batchSize: 512,
      epochs: 12,
      seed: 7,
      threads: 2,
    };
    const query = queryFromSettings(settings);
    expect(query).toBe(
      "preset=trivariate-sparse&goal=%28F%29%28C%29%28L%29%3D0.33%2C+%28F%29%28C%29%3D1%2C+%28F%29%28L%29%3D-1%2C+%28FC%29%28FL%29%3D-1&n=37&samples=4096&batch=512&epochs=12&seed=7&threads=2",
    );
    expect(settingsFromQuery(query)).toEqual(settings);
  });

  it("takes the defaults for what is missing, unknown or out of range", () => {
    expect(settingsFromQuery("")).toEqual(DEFAULT_SETTINGS);
    expect(
      settingsFromQuery("preset=backprop&n=0&samples=99999&batch=1.5&seed=-1&epochs=x"),
    ).toEqual(DEFAULT_SETTINGS);
    expect(settingsFromQuery("n=1000&seed=0").hidden).toBe(1000);
  });
});
