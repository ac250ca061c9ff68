/**
 * The nonces that hold a sender's later transactions back: every nonce from the account's mined count up to the
 * highest nonce it still owes a transaction at, for which it has none in flight. A transaction is mined only after
 * every lower nonce is, so one such gap strands everything above it.
 *
 * nonceGaps({ mined: 5, owed: [6, 8] }) → [5, 7]
 */
export type NonceGapsParameters = {
  /** The account's transaction count at one block: the lowest nonce not yet mined there. */
  mined: number;
  /** Nonces at which the sender has a transaction it still waits for (any order, duplicates allowed). */
  owed: Iterable<number>;
};

export function nonceGaps({ mined, owed }: NonceGapsParameters): number[] {
  const waiting = new Set([...owed].filter((nonce) => nonce >= mined));
  if (waiting.size === 0) return [];
  const highest = Math.max(...waiting);
  const gaps: number[] = [];
  for (let nonce = mined; nonce < highest; nonce++) if (!waiting.has(nonce)) gaps.push(nonce);
  return gaps;
}
