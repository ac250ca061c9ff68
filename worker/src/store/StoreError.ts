import { BaseError } from "../errors/BaseError.ts";

export class StoreError extends BaseError {
  override name = "StoreError";
}

/** `advanceJob` asked for a move the job state machine does not allow (a bug in the caller, not a race). */
export class InvalidJobTransitionError extends StoreError {
  override name = "InvalidJobTransitionError";
  constructor({ jobId, from, to }: { jobId: string; from: string; to: string }) {
    super(`Job ${jobId}: ${from} → ${to} is not a valid step change`, {
      metaMessages: [
        "Steps move one forward or one back, or end as released / failed / skipped; done and ends are final.",
      ],
    });
  }
}
