"use client";
// The explorer's own navigation and the notice shown when the app has no indexer to read.
import Link from "next/link";
import { useAppConfig } from "../hooks/useAppConfig.tsx";

export function ExplorerNav() {
  const { config } = useAppConfig();
  return (
    <>
      <nav className="subnav" data-testid="explorer-nav">
        <Link href="/explorer">All jobs</Link>
        <Link href="/explorer/totals">Totals per provider and model</Link>
      </nav>
      {!config.indexerUrl && (
        <p className="notice warn">
          This app has no indexer configured (OCTO_INDEXER_URL), so the explorer cannot list jobs. A receipt can still
          be verified from the chain.
        </p>
      )}
    </>
  );
}
