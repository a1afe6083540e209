/**
 * An async iterable fed by callbacks: a planner pushes text chunks as the model writes them and the
 * consumer (the plan parser) reads them with `for await`. Chunks pushed before anyone reads are kept.
 */
export class TextChannel implements AsyncIterable<string> {
  private readonly chunks: string[] = [];
  private closed = false;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  push(chunk: string): void {
    if (this.closed || chunk === "") return;
    this.chunks.push(chunk);
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  fail(error: unknown): void {
    if (this.closed) return;
    this.failure = { error };
    this.closed = true;
    this.notify();
  }

  /** Ends the channel when `done` settles: closed when it is fulfilled, failed with its error. */
  endWith(done: Promise<unknown>): void {
    done.then(
      () => this.close(),
      (error: unknown) => this.fail(error),
    );
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        yield chunk;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
