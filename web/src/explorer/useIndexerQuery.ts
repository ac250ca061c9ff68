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

// The row readers live with the SQL client (pure, so the CSV columns can use them in unit tests); re-exported for the
// components that read rows.
export { big, str } from "./indexerSql.ts";
