// A chain read that many jobs ask for at once (chain time, a governance parameter): one read serves every caller for
// a while, and callers that ask while a read is on its way wait for that read instead of each sending their own.
// A failed read is not kept: the next caller reads again.

/** Returns a function that reads through `read` at most once per `ttlMs` (and never twice at the same time). */
export function cachedRead<T>(ttlMs: number, read: () => Promise<T>): () => Promise<T> {
  let readAt = -Infinity;
  let value: T;
  let inFlight: Promise<T> | null = null;
  return async () => {
    if (performance.now() - readAt <= ttlMs) return value;
    inFlight ??= read()
      .then((v) => {
        value = v;
        readAt = performance.now();
        return v;
      })
      .finally(() => (inFlight = null));
    return inFlight;
  };
}
