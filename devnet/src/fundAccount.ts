/**
 * The devnet's faucet: gives an account test POL (set directly on anvil), OCTO (from the deployer, who holds the dev
 * supply) and MockUSDC (minted), so a new provider or user key can act on a local market. It refuses any chain that is
 * not an anvil devnet: these are test funds from public keys, and on a real network the call would mean nothing.
 *
 * API: fundAccount({ rpcUrl, deployments, address, pol?, octo?, usdc? }): Promise<FundAccountReturnType>
 *   amounts in whole units (default 10 POL, 10,000 OCTO, 1,000 USDC; 0 skips one)
 */
import { createTestClient, parseEther, parseUnits, type Address } from "viem";
import { foundry } from "viem/chains";
import { mockUSDCAbi } from "@octo/sdk/testing";
import { octoTokenAbi, type Deployments } from "@octo/sdk";
import { devnetClients, NotADevnetError } from "./devnetClients.ts";

export type FundAccountParameters = {
  rpcUrl: string;
  deployments: Deployments;
  address: Address;
  pol?: number;
  octo?: number;
  usdc?: number;
};
export type FundAccountReturnType = { pol: bigint; octo: bigint; usdc: bigint };

export { NotADevnetError };

export async function fundAccount({
  rpcUrl,
  deployments,
  address,
  pol = 10,
  octo = 10_000,
  usdc = 1_000,
}: FundAccountParameters): Promise<FundAccountReturnType> {
  const { transport, publicClient, deployer, wait } = await devnetClients(rpcUrl, "the faucet");
  const given = { pol: 0n, octo: 0n, usdc: 0n };
  if (pol > 0) {
    given.pol = parseEther(String(pol));
    const balance = await publicClient.getBalance({ address });
    await createTestClient({ chain: foundry, transport, mode: "anvil" }).setBalance({
      address,
      value: balance + given.pol,
    });
  }
  const token = deployments.contracts.OctoToken?.address;
  if (octo > 0 && token) {
    given.octo = parseUnits(String(octo), 18);
    await wait(
      await deployer.writeContract({
        address: token,
        abi: octoTokenAbi,
        functionName: "transfer",
        args: [address, given.octo],
      }),
    );
  }
  const usdcToken = deployments.contracts.MockUSDC?.address;
  if (usdc > 0 && usdcToken) {
    given.usdc = parseUnits(String(usdc), 6);
    await wait(
      await deployer.writeContract({
        address: usdcToken,
        abi: mockUSDCAbi,
        functionName: "mint",
        args: [address, given.usdc],
      }),
    );
  }
  return given;
}
