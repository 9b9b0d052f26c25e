/** Datasets kept in memory by a search worker, so that each is read, split and standardised once per process, not once per trial. */

import type { DatasetSplits } from "../data/dataset.js";
import { type DatasetSpec, loadDataset } from "../data/registry.js";

/**
 * A loader with the same results as loadDataset that keeps the `capacity` most recently used
 * datasets (one per dataset, folder and split seed; MNIST's splits take ≈ 220 MB each).
 * Training never writes into a dataset, so runs can share one.
 */
export function cachedDatasetLoader(capacity = 4): (spec: DatasetSpec) => Promise<DatasetSplits> {
  const cache = new Map<string, Promise<DatasetSplits>>();
  return (spec) => {
    const key = JSON.stringify([
      spec.dataset,
      spec.dataDir ?? null,
      spec.cacheDir ?? null,
      spec.seed,
    ]);
    let entry = cache.get(key);
    if (entry) {
      cache.delete(key); // re-inserted below: the map's order is the order of use
    } else {
      entry = loadDataset(spec);
      // A failed load is not kept: the next trial tries again.
      entry.catch(() => cache.delete(key));
    }
    cache.set(key, entry);
    while (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    return entry;
  };
}
