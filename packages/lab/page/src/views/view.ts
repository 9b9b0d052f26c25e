/** What the app shell shows: one view at a time (runs, run, train, play, and later studies), closed when the user leaves it so it frees its streams and workers. */

export interface View {
  readonly root: HTMLElement;
  close(): void;
}
