// The devnet's own powers (its faucet, its model registration) act with the public dev deployer key, so they must
// never run against anything but a local anvil chain: this is the one check both use.
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { DEV_ROLES } from "./devAccounts.ts";

export class NotADevnetError extends Error {
  override name = "NotADevnetError";
}

/** Clients for a local anvil devnet, the deployer's included; throws NotADevnetError for any other chain. */
export async function devnetClients(rpcUrl: string, what: string) {
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain: foundry, transport });
  const [chainId, clientVersion] = await Promise.all([
    publicClient.getChainId(),
    publicClient.request({ method: "web3_clientVersion" }).catch(() => ""),
  ]);
  if (chainId !== foundry.id || !String(clientVersion).toLowerCase().includes("anvil"))
    throw new NotADevnetError(
      `${what} only serves a local anvil devnet (chain ${foundry.id}); ${rpcUrl} is chain ${chainId} (${clientVersion || "unknown node"})`,
    );
  const deployer = createWalletClient({ chain: foundry, transport, account: privateKeyToAccount(DEV_ROLES.deployer) });
  const wait = async (hash: `0x${string}`) => void (await publicClient.waitForTransactionReceipt({ hash }));
  return { transport, publicClient, deployer, wait };
}
