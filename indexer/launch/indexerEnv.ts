// The environment the indexer's Ponder process reads: the one boundary between the launcher (or a shell) and
// ponder.config.ts.
import { z } from "zod";
import { IndexerError } from "./IndexerError.ts";

export const indexerEnvSchema = z.object({
  /** The deployments file (deployments/<chainId>.json). */
  OCTO_DEPLOYMENTS: z.string().min(1),
  OCTO_RPC_URL: z.url(),
  /** A PostgreSQL connection string; when unset the indexer uses an embedded PGlite database. */
  DATABASE_URL: z.string().min(1).optional(),
  /** Where PGlite keeps its files (default .ponder/pglite under the indexer). */
  OCTO_INDEXER_PGLITE_DIR: z.string().min(1).default(".ponder/pglite"),
  /** How often new blocks are polled (Ponder's minimum is 100 ms). */
  OCTO_INDEXER_POLLING_MS: z.coerce.number().int().min(100).default(1000),
});
export type IndexerEnv = z.infer<typeof indexerEnvSchema>;

export function parseIndexerEnv(env: Record<string, string | undefined>): IndexerEnv {
  const parsed = indexerEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new IndexerError("invalid indexer environment", { details: z.prettifyError(parsed.error) });
  return parsed.data;
}
