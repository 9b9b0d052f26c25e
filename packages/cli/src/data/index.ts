/** The dataset readers as the other packages use them (`infomorph/data`): load a dataset by name into its seeded splits, take subsets. */

export type { Dataset, DatasetSplits } from "./dataset.js";
export { type DatasetSpec, loadDataset } from "./registry.js";
export { subset } from "@infomorph/core";
