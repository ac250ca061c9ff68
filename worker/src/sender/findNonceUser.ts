/**
 * Which transaction used an account's nonce, read against one block so that reads from different heads (a reorg in
 * the middle, two RPCs behind a failover transport, a load balancer) cannot be mistaken for "someone else used it".
 *
 * The nonce's block is found by bisecting the account's transaction count over the last `window` blocks below one
 * head, then the transaction is read from that block's body by sender and nonce, and the block is read again by
 * number at the end: if its hash changed, the chain moved under the reads and the answer is 'unknown'.
 *
 * API: findNonceUser(client, { address, nonce, window? }): Promise<FindNonceUserReturnType>
 *   { kind: 'unused' }                       the nonce is not mined at the head read
 *   { kind: 'mined', hash, blockNumber, confirmations }   mined in that block by that transaction
 *   { kind: 'deep' }                         mined more than `window` blocks below the head (its block not searched)
 *   { kind: 'unknown' }                      the reads did not agree (or the node has no state that old): ask again
 */
import { type Address, type Client, type Hash, isAddressEqual } from "viem";
import { getBlock, getBlockNumber, getTransactionCount } from "viem/actions";

export type FindNonceUserParameters = {
  address: Address;
  nonce: number;
  /** How many blocks below the head to search. Default 64 (full nodes keep state at least that far back). */
  window?: number | undefined;
};
export type FindNonceUserReturnType =
  | { kind: "unused" }
  | { kind: "mined"; hash: Hash; blockNumber: bigint; confirmations: bigint }
  | { kind: "deep" }
  | { kind: "unknown" };

export async function findNonceUser(
  client: Client,
  { address, nonce, window = 64 }: FindNonceUserParameters,
): Promise<FindNonceUserReturnType> {
  try {
    const head = await getBlockNumber(client, { cacheTime: 0 });
    const countAt = async (blockNumber: bigint) => getTransactionCount(client, { address, blockNumber });
    if ((await countAt(head)) <= nonce) return { kind: "unused" };
    let low = head > BigInt(window) ? head - BigInt(window) : 0n;
    if (low > 0n && (await countAt(low)) > nonce) return { kind: "deep" };
    // Invariant: count(low) <= nonce (or low is genesis) and count(high) > nonce.
    let high = head;
    while (high - low > 1n) {
      const middle = (low + high) / 2n;
      if ((await countAt(middle)) > nonce) high = middle;
      else low = middle;
    }
    const blockNumber = (await countAt(low)) > nonce ? low : high;
    const block = await getBlock(client, { blockNumber, includeTransactions: true });
    const tx = block.transactions.find((t) => isAddressEqual(t.from, address) && t.nonce === nonce);
    if (!tx) return { kind: "unknown" };
    const again = await getBlock(client, { blockNumber });
    if (again.hash !== block.hash) return { kind: "unknown" };
    return { kind: "mined", hash: tx.hash, blockNumber, confirmations: head - blockNumber };
  } catch {
    // A node without the state of an older block, or an RPC that failed over mid-search: no conclusion now.
    return { kind: "unknown" };
  }
}
