import { BaseError } from "../errors/BaseError.ts";

export class WatcherError extends BaseError {
  override name = "WatcherError";
}

/** The chain changed under a read (the target block's hash moved between the header and the logs); retried. */
export class ChainMovedError extends WatcherError {
  override name = "ChainMovedError";
}
