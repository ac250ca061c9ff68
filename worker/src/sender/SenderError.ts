import type { Hash } from "viem";
import { BaseError, type BaseErrorParameters } from "../errors/BaseError.ts";

export class SenderError extends BaseError {
  override name = "SenderError";
}

/**
 * The call would revert, so nothing was sent. `errorName`/`args` come from the contract ABI (e.g. `JobNotOpen`,
 * `{ jobId: 7n }`); `formatted` is `JobNotOpen(jobId=7)`. `errorName` is 'Error' / 'Panic' for string and panic
 * reverts, null when the selector is not in the ABI.
 */
export class SimulationRevertedError extends SenderError {
  override name = "SimulationRevertedError";
  readonly functionName: string;
  readonly errorName: string | null;
  readonly args: Record<string, unknown> | readonly unknown[] | undefined;
  readonly formatted: string;
  constructor(
    p: {
      functionName: string;
      errorName: string | null;
      args: SimulationRevertedError["args"];
      formatted: string;
      sentence?: string;
    } & BaseErrorParameters,
  ) {
    super(`${p.functionName} would revert: ${p.formatted}`, { ...p, ...(p.sentence ? { details: p.sentence } : {}) });
    this.functionName = p.functionName;
    this.errorName = p.errorName;
    this.args = p.args;
    this.formatted = p.formatted;
  }
}

/** The transaction was mined and reverted (state changed between simulation and inclusion). */
export class TxRevertedError extends SenderError {
  override name = "TxRevertedError";
  readonly hash: Hash;
  constructor({ hash, intent }: { hash: Hash; intent: string }) {
    super(`Transaction for ${intent} reverted on-chain (${hash})`);
    this.hash = hash;
  }
}

/** No receipt within the timeout; the transaction stays tracked in the store and `send` for the intent resumes it. */
export class TxTimeoutError extends SenderError {
  override name = "TxTimeoutError";
  readonly hashes: readonly Hash[];
  constructor({ hashes, intent, timeoutMs }: { hashes: readonly Hash[]; intent: string; timeoutMs: number }) {
    super(`No receipt for ${intent} after ${timeoutMs} ms`, { details: `sent: ${hashes.join(", ")}` });
    this.hashes = hashes;
  }
}

/** Our nonce was used by a transaction this worker did not send (the key is used elsewhere). */
export class NonceTakenError extends SenderError {
  override name = "NonceTakenError";
}
