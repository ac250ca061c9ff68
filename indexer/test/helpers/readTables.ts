// The indexer's tables as its SQL endpoint serves them, each sorted by its key, in `canonical` form.
import { queryIndexer } from "@octo/indexer";
import { canonical, type Row, type Tables } from "./tablesFromLogs.ts";

/** Each table's key columns, for a stable order on both sides. */
export const tableKeys: Record<keyof Tables, string[]> = {
  job: ["id"],
  job_step: ["id"],
  receipt: ["job_id"],
  provider: ["address"],
  offer: ["provider", "model_id", "payment_token"],
  model: ["id"],
  dispute: ["job_id"],
  vote: ["job_id", "validator"],
  daily_total: ["day", "payment_token"],
  collateral_lock: ["job_id", "provider"],
  credit: ["payment_token", "account"],
  fee_withdrawal: ["id"],
  setting: ["id"],
};

export function sortRows(table: keyof Tables, rows: Row[]): Row[] {
  const key = (r: Row) => tableKeys[table].map((k) => String(r[k]).padStart(80, "0")).join("|");
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export async function readTables(url: string): Promise<Tables> {
  const tables = {} as Tables;
  for (const table of Object.keys(tableKeys) as (keyof Tables)[]) {
    tables[table] = sortRows(
      table,
      (await queryIndexer(url, `select * from ${table}`)).map((r) => canonical(r) as Row),
    );
  }
  return tables;
}
