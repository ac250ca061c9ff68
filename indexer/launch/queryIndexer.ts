// Reading a running indexer over HTTP: its sync status, and read-only SQL through Ponder's `/sql/db` endpoint (the
// one `@ponder/client` uses; it takes superjson, whose form for plain strings and arrays is `{ json: … }`).
import { z } from "zod";
import { IndexerError } from "./IndexerError.ts";

const statusSchema = z.record(
  z.string(),
  z.object({ id: z.number(), block: z.object({ number: z.number(), timestamp: z.number() }).nullable() }),
);

/** The block the indexer has indexed up to (its one chain). */
export async function indexerStatus(url: string): Promise<{ chainId: number; blockNumber: bigint; timestamp: bigint }> {
  const response = await fetch(`${url}/status`);
  if (!response.ok) throw new IndexerError(`GET ${url}/status answered ${response.status}`);
  const [chain] = Object.values(statusSchema.parse(await response.json()));
  if (!chain) throw new IndexerError(`GET ${url}/status named no chain`);
  return {
    chainId: chain.id,
    blockNumber: BigInt(chain.block?.number ?? -1),
    timestamp: BigInt(chain.block?.timestamp ?? 0),
  };
}

export type SqlRow = Record<string, unknown>;

/** Runs one read-only SQL statement (SELECT) against the indexer's tables; `params` fill `$1`, `$2`, …. */
export async function queryIndexer(
  url: string,
  sql: string,
  params: readonly (string | number | boolean | null)[] = [],
): Promise<SqlRow[]> {
  const query = encodeURIComponent(JSON.stringify({ json: { sql, params } }));
  const response = await fetch(`${url}/sql/db?sql=${query}`);
  const text = await response.text();
  if (!response.ok)
    throw new IndexerError(`the indexer refused the query (${response.status})`, { details: `${text}\n${sql}` });
  const body = z.object({ rows: z.array(z.record(z.string(), z.unknown())) }).safeParse(JSON.parse(text));
  if (!body.success) throw new IndexerError("the indexer's answer has no rows", { details: text.slice(0, 500) });
  return body.data.rows;
}
