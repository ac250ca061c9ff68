/**
 * The worker's one error base, in viem's manner: a short message, optional details, the cause, and `walk()`.
 * Domain errors (ConfigError, StoreError, WatcherError, SenderError, …) extend it and set `name`.
 */
export type BaseErrorParameters = {
  /** Extra lines shown under the short message. */
  details?: string | undefined;
  cause?: unknown;
  /** Additional lines, each printed as its own paragraph. */
  metaMessages?: string[] | undefined;
};

export class BaseError extends Error {
  override name = "BaseError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly metaMessages: string[] | undefined;

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const lines = [shortMessage];
    if (parameters.metaMessages?.length) lines.push("", ...parameters.metaMessages);
    if (parameters.details) lines.push("", `Details: ${parameters.details}`);
    super(lines.join("\n"), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.metaMessages = parameters.metaMessages;
  }

  /** Walks the `cause` chain; returns the first error `fn` accepts, or the innermost error when `fn` is omitted. */
  walk(fn?: (error: unknown) => boolean): unknown {
    return walk(this, fn);
  }
}

function walk(error: unknown, fn?: (error: unknown) => boolean): unknown {
  if (fn?.(error)) return error;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause !== undefined && cause !== null) return walk(cause, fn);
  return fn ? null : error;
}
