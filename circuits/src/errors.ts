// Typed errors of the circuits library, in viem's manner: one BaseError with a short message, details and a cause,
// and a subclass per condition so callers can branch on `name` or `instanceof`.

export type BaseErrorParameters = { details?: string; cause?: unknown };

export class BaseError extends Error {
  override name = "OctoCircuitsError";
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, { details, cause }: BaseErrorParameters = {}) {
    super(
      details ? `${shortMessage}\n\nDetails: ${details}` : shortMessage,
      cause === undefined ? undefined : { cause },
    );
    this.shortMessage = shortMessage;
    this.details = details;
  }

  /** Walks the cause chain; returns the first error matching `fn`, or the deepest one when `fn` is omitted. */
  walk(fn?: (err: unknown) => boolean): unknown {
    let err: unknown = this;
    for (;;) {
      if (fn?.(err)) return err;
      const next = err instanceof Error ? err.cause : undefined;
      if (next === undefined) return fn ? null : err;
      err = next;
    }
  }
}

/** A value does not fit its field (statement field, byte length, field element, key length…). */
export class OutOfRangeError extends BaseError {
  override name = "OutOfRangeError";
  constructor(what: string, value: bigint | number, bound: string) {
    super(`${what} out of range: ${value}`, { details: `expected ${bound}` });
  }
}

/** A decrypted element is not 31 canonical bytes (>= 2^248, or nonzero bytes past the output length). */
export class NonCanonicalElementError extends BaseError {
  override name = "NonCanonicalElementError";
  readonly chunkIndex: number;
  readonly elementIndex: number;
  constructor(chunkIndex: number, elementIndex: number) {
    super(`chunk ${chunkIndex}, element ${elementIndex} does not decode to plaintext bytes`, {
      details: "the provider encrypted a non-canonical element: grounds for a dispute",
    });
    this.chunkIndex = chunkIndex;
    this.elementIndex = elementIndex;
  }
}

/** An AEAD open failed: wrong key, wrong associated data, or tampered ciphertext. */
export class DecryptionError extends BaseError {
  override name = "DecryptionError";
  constructor(what: string, cause?: unknown) {
    super(`cannot open ${what}`, { details: "wrong key or tampered ciphertext", cause });
  }
}

/** A computed commitment differs from the one given. */
export class CommitmentMismatchError extends BaseError {
  override name = "CommitmentMismatchError";
  constructor(what: string, expected: bigint, actual: bigint) {
    super(`${what} mismatch`, { details: `expected ${expected}, computed ${actual}` });
  }
}

/** snarkjs could not build a witness (a constraint is not satisfied) or a proof. */
export class ProofGenerationError extends BaseError {
  override name = "ProofGenerationError";
  constructor(cause: unknown) {
    super("cannot prove the chunk", {
      details: cause instanceof Error ? cause.message.split("\n")[0] : String(cause),
      cause,
    });
  }
}

/** A proof or public signal is malformed. */
export class InvalidProofError extends BaseError {
  override name = "InvalidProofError";
  constructor(details: string) {
    super("malformed proof", { details });
  }
}
