// The operator's money, in two places: its wallet (the payment token it holds) and its prepaid balance in the market,
// which pays every job's escrow in the job's own transaction and receives every refund (a cancelled or timed-out
// job, the unused rest of a settled one). The wallet only feeds the balance: when the balance cannot cover the next
// escrow, one top-up deposits `topUp` from it (at least the shortfall, at most what the wallet holds); when the wallet
// cannot cover even the shortfall the request is refused before anything is sent.
import { erc20Abi, type Hash } from "viem";
import { GatewayError } from "../errors/GatewayError.ts";
import type { Market } from "./connectMarket.ts";

export type OperatorFunds = { wallet: bigint; market: bigint };

/** The operator's wallet and market balances of the payment token. */
export async function readOperatorFunds(market: Market): Promise<OperatorFunds> {
  const [wallet, balance] = await Promise.all([
    readWallet(market),
    market.client.getBalance({ token: market.paymentToken, account: market.operator }),
  ]);
  return { wallet, market: balance };
}

const readWallet = (market: Market) =>
  market.client.readContract({
    address: market.paymentToken,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [market.operator],
  });

export type EnsureMarketBalanceParameters = {
  /** What the next job escrows. */
  needed: bigint;
  /** What one top-up deposits (raised to the shortfall; capped by the wallet). Undefined: the whole wallet. */
  topUp: bigint | undefined;
  onDeposit?: ((deposit: { amount: bigint; hash: Hash }) => void) | undefined;
};
export type EnsureMarketBalanceReturnType = { balance: bigint; deposit: { amount: bigint; hash: Hash } | undefined };

/** Makes the operator's market balance cover `needed`, depositing from the wallet when it does not. Run inside
 *  `market.serially`, with the job it pays for, so that no other request spends the balance in between. */
export async function ensureMarketBalance(
  market: Market,
  { needed, topUp, onDeposit }: EnsureMarketBalanceParameters,
): Promise<EnsureMarketBalanceReturnType> {
  const balance = await market.client.getBalance({ token: market.paymentToken, account: market.operator });
  if (balance >= needed) return { balance, deposit: undefined };
  const shortfall = needed - balance;
  const wallet = await readWallet(market);
  if (wallet < shortfall)
    throw new GatewayError(
      `the gateway's operator is out of funds: its market balance holds ${balance} units and its wallet ${wallet}, ` +
        `this request escrows ${needed}`,
      { status: 402, type: "insufficient_funds_error", code: "insufficient_funds" },
    );
  const wanted = topUp === undefined ? wallet : topUp > shortfall ? topUp : shortfall;
  const amount = wanted < wallet ? wanted : wallet;
  const { hash } = await market.client.deposit({ token: market.paymentToken, amount });
  onDeposit?.({ amount, hash });
  return { balance: balance + amount, deposit: { amount, hash } };
}
