/**
 * Group commit: concurrent commands are coalesced into one database transaction, so that one
 * fsync serves many of them. While fewer than `concurrency` batches are in flight a command
 * starts at once (no added latency when idle); otherwise it waits for the next batch, which
 * takes up to `maxBatch` commands in arrival order. Each caller gets its own outcome, and only
 * after its batch has committed.
 */
export interface GroupCommitOptions {
  maxBatch: number;
  concurrency: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class GroupCommitter<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private active = 0;

  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly opts: GroupCommitOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.drain();
    });
  }

  /** Batches in flight and commands waiting (for benchmarks and health). */
  stats(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.queue.length };
  }

  private drain(): void {
    while (this.active < this.opts.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.active += 1;
      this.runBatch(batch.map((p) => p.item))
        .then(
          (outcomes) => batch.forEach((p, i) => p.resolve(outcomes[i])),
          (e: unknown) => batch.forEach((p) => p.reject(e)),
        )
        .finally(() => {
          this.active -= 1;
          this.drain();
        });
    }
  }
}
