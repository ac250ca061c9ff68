// The gateway's one connection to the market: a viem wallet client for the operator's account with the sdk's actions
// bound, the payment token, the user key every job secret is derived from (one signature, so a restarted gateway
// recovers the secret of any job it created from the chain alone), and a queue that sends the operator's
// transactions one at a time (an approve and the createJob it pays for must not interleave with another request's).
import { createWalletClient, defineChain, http, publicActions, type Address, type Hex } from "viem";
import { nonceManager, privateKeyToAccount } from "viem/accounts";
import { octoActions, type Deployments, type UserKey } from "@octo/sdk";

export type ConnectMarketParameters = {
  deployments: Deployments;
  rpcUrl: string;
  operatorKey: Hex;
  /** The token jobs are paid in (default: the deployments' MockUSDC). */
  paymentToken?: Address | undefined;
  pollingIntervalMs?: number | undefined;
};

export function connectMarket({
  deployments,
  rpcUrl,
  operatorKey,
  paymentToken,
  pollingIntervalMs = 250,
}: ConnectMarketParameters) {
  const chain = defineChain({
    id: deployments.chainId,
    name: `chain ${deployments.chainId}`,
    nativeCurrency: { name: "POL", symbol: "POL", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const account = privateKeyToAccount(operatorKey, { nonceManager });
  const client = createWalletClient({
    chain,
    account,
    transport: http(rpcUrl, { retryCount: 1 }),
    pollingInterval: pollingIntervalMs,
  })
    .extend(publicActions)
    .extend(octoActions({ deployments }));
  const token = paymentToken ?? deployments.contracts.MockUSDC?.address;
  if (!token) throw new Error("no payment token: pass paymentToken (the deployments list no MockUSDC)");

  let userKey: Promise<UserKey> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    client,
    deployments,
    operator: account.address,
    paymentToken: token,
    /** The operator's user key (signed once, kept in memory). */
    userKey: () => (userKey ??= client.getUserKey()),
    /** Runs `fn` after every transaction sequence queued before it. */
    serially<T>(fn: () => Promise<T>): Promise<T> {
      const run = queue.then(fn, fn);
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

export type Market = ReturnType<typeof connectMarket>;
