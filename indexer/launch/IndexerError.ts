// The indexer's one error type: the launcher's failures (Ponder exited, never became ready, a query failed), on the
// sdk's BaseError so an app catches every Octo error the same way.
import { BaseError } from "@octo/sdk";

export class IndexerError extends BaseError {
  override name = "IndexerError";
}
