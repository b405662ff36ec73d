/**
 * Published results never change once published: a response computed for run N stays right
 * until run N+1 is published. So answers are cached as serialized JSON, keyed by run and
 * request; a new publication simply stops matching. Bounded, oldest entries evicted first.
 */
export class PublishedResponseCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly maxEntries = 200) {}

  get(runId: number, key: string, compute: () => unknown): string {
    const cacheKey = `${runId}|${key}`;
    const hit = this.entries.get(cacheKey);
    if (hit !== undefined) return hit;
    const json = JSON.stringify(compute());
    this.entries.set(cacheKey, json);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return json;
  }
}
