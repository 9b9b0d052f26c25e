/** A first-in, first-out queue whose take() waits for the next item: the coordinator's inbox of trial reports. */

export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private readonly waiting: ((item: T) => void)[] = [];

  push(item: T): void {
    const take = this.waiting.shift();
    if (take) take(item);
    else this.items.push(item);
  }

  take(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The next item, or null when none arrives within `ms` (the item is then left for a later take). */
  takeWithin(ms: number): Promise<T | null> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => {
      const waiter = (item: T) => {
        clearTimeout(timer);
        resolve(item);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        resolve(null);
      }, ms);
      this.waiting.push(waiter);
    });
  }
}
