// The sdk's typed errors. Contract reverts are ContractRevertedError (decoded by decodeRevert); the rest say which
// precondition of an action failed, with the values involved.
import { BaseError } from "./BaseError.ts";

/** A deployments file or object does not match the schema, or is for another chain. */
export class DeploymentsError extends BaseError {
  override name = "DeploymentsError";
}

/** An action needs a wallet account and the client has none. */
export class AccountNotFoundError extends BaseError {
  override name = "AccountNotFoundError";
  constructor(action: string) {
    super(`${action} needs an account`, { details: "pass `account`, or use a wallet client created with one" });
  }
}

/** The market has no job with this id. */
export class JobNotFoundError extends BaseError {
  override name = "JobNotFoundError";
  readonly jobId: bigint;
  constructor(jobId: bigint) {
    super(`job ${jobId} does not exist`);
    this.jobId = jobId;
  }
}

/** No result has been submitted for the job yet. */
export class ResultNotFoundError extends BaseError {
  override name = "ResultNotFoundError";
  readonly jobId: bigint;
  constructor(jobId: bigint) {
    super(`job ${jobId} has no submitted result`);
    this.jobId = jobId;
  }
}

/** No provider satisfies the selection policy. */
export class NoProviderError extends BaseError {
  override name = "NoProviderError";
  constructor(details: string) {
    super("no provider matches the request", { details });
  }
}

/** The job secret at hand does not open this job: its output key does not match the job's on-chain commitment. */
export class JobKeyMismatchError extends BaseError {
  override name = "JobKeyMismatchError";
  readonly jobId: bigint;
  constructor(jobId: bigint) {
    super(`the job secret does not match job ${jobId}'s key commitment`, {
      details: "derived from another wallet or nonce, or a key file of another job",
    });
    this.jobId = jobId;
  }
}

/** A job input (prompt or chat) or a key file is malformed or of an unknown version. */
export class InvalidInputError extends BaseError {
  override name = "InvalidInputError";
}

/** A verifiable job asks for sampled decoding: it could not be re-checked by re-running it, so it is refused before
 *  anything is paid (send it with `verifiable: false`, or decode greedily). */
export class SamplingNotVerifiableError extends BaseError {
  override name = "SamplingNotVerifiableError";
  readonly temperature: number;
  constructor({ temperature }: { temperature: number }) {
    super(`a verifiable job decodes greedily, but this input samples at temperature ${temperature}`, {
      details: "send the job with verifiable: false, or use temperature 0",
    });
    this.temperature = temperature;
  }
}

/** The provider's live stream could not be read. */
export class StreamError extends BaseError {
  override name = "StreamError";
}

/** A transaction was mined but reverted (its reason could not be simulated again). */
export class TransactionRevertedError extends BaseError {
  override name = "TransactionRevertedError";
  readonly hash: `0x${string}`;
  constructor(functionName: string, hash: `0x${string}`) {
    super(`${functionName} reverted`, { details: `transaction ${hash}` });
    this.hash = hash;
  }
}
