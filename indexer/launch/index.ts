// @octo/indexer (Node only): start the market's indexer and read it.
export { startIndexer, type StartIndexerParameters, type StartIndexerReturnType } from "./startIndexer.ts";
export { indexerStatus, queryIndexer, type SqlRow } from "./queryIndexer.ts";
export { IndexerError } from "./IndexerError.ts";
export { indexerEnvSchema, parseIndexerEnv, type IndexerEnv } from "./indexerEnv.ts";
export {
  resetInterruptedBackfill,
  type ResetInterruptedBackfillParameters,
  type ResetInterruptedBackfillReturnType,
} from "./resetInterruptedBackfill.ts";
