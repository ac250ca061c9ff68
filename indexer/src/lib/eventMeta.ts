// What every handler records about where an event happened. Ponder's events carry more; these are the fields the
// tables keep, so helpers can take any event.
import type { Context } from "ponder:registry";
import type { Hex } from "viem";

export type EventMeta = {
  block: { number: bigint; hash: Hex; timestamp: bigint };
  transaction: { hash: Hex };
  log: { logIndex: number };
};

/** The store every handler writes through (the same for every event). */
export type Db = Context["db"];

/** The UTC day of a block timestamp, as the daily totals key it. */
export function utcDay(timestamp: bigint): string {
  return new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
}
