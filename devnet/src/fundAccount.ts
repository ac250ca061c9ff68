/**
 * The devnet's faucet: gives an account test POL (set directly on anvil), OCTO (from the deployer, who holds the dev
 * supply) and MockUSDC (minted), so a new provider or user key can act on a local market. It refuses any chain that is
 * not an anvil devnet: these are test funds from public keys, and on a real network the call would mean nothing.
 *
 * API: fundAccount({ rpcUrl, deployments, address, pol?, octo?, usdc? }): Promise<FundAccountReturnType>
 *   amounts in whole units (default 10 POL, 10,000 OCTO, 1,000 USDC; 0 skips one)
 */
import { createPublicClient, createTestClient, createWalletClient, http, parseEther, parseUnits, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { mockUSDCAbi } from "@octo/sdk/testing";
import { octoTokenAbi, type Deployments } from "@octo/sdk";
import { DEV_ROLES } from "./devAccounts.ts";

export type FundAccountParameters = {
  rpcUrl: string;
  deployments: Deployments;
  address: Address;
  pol?: number;
  octo?: number;
  usdc?: number;
};
export type FundAccountReturnType = { pol: bigint; octo: bigint; usdc: bigint };

export class NotADevnetError extends Error {
  override name = "NotADevnetError";
}

export async function fundAccount({ rpcUrl, deployments, address, pol = 10, octo = 10_000, usdc = 1_000 }: FundAccountParameters): Promise<FundAccountReturnType> {
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain: foundry, transport });
  const [chainId, clientVersion] = await Promise.all([publicClient.getChainId(), publicClient.request({ method: "web3_clientVersion" }).catch(() => "")]);
  if (chainId !== foundry.id || !String(clientVersion).toLowerCase().includes("anvil"))
    throw new NotADevnetError(`the faucet only serves a local anvil devnet (chain ${foundry.id}); ${rpcUrl} is chain ${chainId} (${clientVersion || "unknown node"})`);
  const deployer = createWalletClient({ chain: foundry, transport, account: privateKeyToAccount(DEV_ROLES.deployer) });
  const wait = async (hash: `0x${string}`) => void (await publicClient.waitForTransactionReceipt({ hash }));
  const given = { pol: 0n, octo: 0n, usdc: 0n };
  if (pol > 0) {
    given.pol = parseEther(String(pol));
    const balance = await publicClient.getBalance({ address });
    await createTestClient({ chain: foundry, transport, mode: "anvil" }).setBalance({ address, value: balance + given.pol });
  }
  const token = deployments.contracts.OctoToken?.address;
  if (octo > 0 && token) {
    given.octo = parseUnits(String(octo), 18);
    await wait(await deployer.writeContract({ address: token, abi: octoTokenAbi, functionName: "transfer", args: [address, given.octo] }));
  }
  const usdcToken = deployments.contracts.MockUSDC?.address;
  if (usdc > 0 && usdcToken) {
    given.usdc = parseUnits(String(usdc), 6);
    await wait(await deployer.writeContract({ address: usdcToken, abi: mockUSDCAbi, functionName: "mint", args: [address, given.usdc] }));
  }
  return given;
}
