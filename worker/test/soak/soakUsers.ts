// The soak's users: each its own funded account with @octo/sdk's actions bound to the devnet's market.
import { createWalletClient, http, maxUint256, nonceManager, parseUnits, publicActions, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Devnet } from "@octo/devnet";
import { octoActions } from "@octo/sdk";
import { mockUSDCAbi } from "@octo/sdk/testing";

/** A user's client. Its account counts its own nonces: a user creates jobs while watchJob delivers keys for earlier
 *  ones, two senders on one account, and nonces read from the chain would collide ("nonce too low"). */
export function soakUserClient(market: Devnet, key: Hex) {
  return createWalletClient({
    chain: market.chain,
    transport: http(market.rpcUrl),
    account: privateKeyToAccount(key, { nonceManager }),
    pollingInterval: 200,
  })
    .extend(publicActions)
    .extend(octoActions({ deployments: market.deployments }));
}
export type SoakUser = ReturnType<typeof soakUserClient>;

/** `count` fresh users, each with gas, `usdc` test USDC and the market approved to spend it. */
export async function fundSoakUsers(market: Devnet, count: number, usdc = parseUnits("1000", 6)): Promise<SoakUser[]> {
  const users: SoakUser[] = [];
  for (let i = 0; i < count; i++) {
    const key = generatePrivateKey();
    const account = privateKeyToAccount(key);
    await market.testClient.setBalance({ address: account.address, value: parseUnits("100", 18) });
    await market.write(market.deployer, {
      address: market.contracts.MockUSDC.address,
      abi: mockUSDCAbi,
      functionName: "mint",
      args: [account.address, usdc],
    });
    const user = soakUserClient(market, key);
    await user
      .writeContract({
        address: market.contracts.MockUSDC.address,
        abi: mockUSDCAbi,
        functionName: "approve",
        args: [market.contracts.JobMarket.address, maxUint256],
      })
      .then((hash) => user.waitForTransactionReceipt({ hash }));
    users.push(user);
  }
  return users;
}
