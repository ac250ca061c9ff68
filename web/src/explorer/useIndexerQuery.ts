"use client";
// One indexer query as a react-query: the indexer's URL from the app config, refreshed every few seconds so that the
// explorer follows the chain. Without a configured indexer the query reports why.
import { useQuery } from "@tanstack/react-query";
import { useAppConfig } from "../hooks/useAppConfig.tsx";
import { IndexerQueryError, querySql, type SqlRow, type SqlValue } from "./indexerSql.ts";

export function useIndexerQuery(sql: string, params: readonly SqlValue[] = [], { enabled = true } = {}) {
  const { config } = useAppConfig();
  const url = config.indexerUrl;
  return useQuery<SqlRow[]>({
    queryKey: ["indexer", url, sql, params],
    queryFn: () => {
      if (!url) throw new IndexerQueryError("No indexer is configured for this app (OCTO_INDEXER_URL).");
      return querySql(url, sql, params);
    },
    enabled,
    refetchInterval: 5_000,
    placeholderData: (previous) => previous,
  });
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
