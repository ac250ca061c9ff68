// Compares every table of a running indexer with a plain reading of the logs up to the chain's head, once the
// indexer has indexed that head.
import { expect } from "chai";
import type { StartIndexerReturnType } from "@octo/indexer";
import type { Devnet } from "@octo/devnet";
import { readTables, sortRows } from "./readTables.ts";
import { tablesFromLogs, type Tables } from "./tablesFromLogs.ts";

export async function compareWithLogs(indexer: StartIndexerReturnType, devnet: Devnet): Promise<Tables> {
  const head = await devnet.publicClient.getBlockNumber({ cacheTime: 0 });
  await indexer.waitForBlock(head);
  const expected = await tablesFromLogs(devnet.rpcUrl, devnet.deployments, head);
  const actual = await readTables(indexer.url);
  for (const table of Object.keys(expected) as (keyof Tables)[]) {
    expect(actual[table], `table ${table}`).to.deep.equal(sortRows(table, expected[table]));
  }
  return actual;
}
