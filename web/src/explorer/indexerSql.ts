// Read-only SQL against the market's indexer (@octo/indexer) from the browser: Ponder's `/sql/db` endpoint, the one
// `@ponder/client` uses (superjson: plain strings and arrays travel as `{ json: … }`). It answers any origin.
export class IndexerQueryError extends Error {
  override name = "IndexerQueryError";
}

export type SqlValue = string | number | boolean | null;
export type SqlRow = Record<string, unknown>;

/** Runs one SELECT; `params` fill `$1`, `$2`, …. Numbers wider than 53 bits come back as decimal strings. */
export async function querySql(indexerUrl: string, sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
  const query = encodeURIComponent(JSON.stringify({ json: { sql, params } }));
  let response: Response;
  try {
    response = await fetch(`${indexerUrl}/sql/db?sql=${query}`);
  } catch (cause) {
    throw new IndexerQueryError(`The indexer (${indexerUrl}) did not answer.`, { cause });
  }
  const text = await response.text();
  if (!response.ok)
    throw new IndexerQueryError(`The indexer refused the query (${response.status}): ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as { rows?: unknown };
  if (!Array.isArray(body.rows)) throw new IndexerQueryError("The indexer's answer has no rows.");
  return body.rows as SqlRow[];
}

/** A column as a string (the indexer sends 256-bit integers as decimal strings, smaller ones as numbers). */
export function str(row: SqlRow, column: string): string {
  const v = row[column];
  return v === null || v === undefined ? "" : String(v);
}

/** A column as a bigint (0 when empty). */
export function big(row: SqlRow, column: string): bigint {
  const v = str(row, column);
  return v === "" ? 0n : BigInt(v);
}
