/**
 * A tiny stand-in for JobMarket, compiled from source at test time: jobs are created (JobCreated) and claimed
 * (JobClaimed); claiming a job that is not open reverts with the custom error `JobNotOpen(uint256 jobId)`.
 */
import {
  type Address,
  type Client,
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  publicActions,
  type Hex,
  toHex,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { compileSolidity } from "./compileSolidity.ts";

export const TEST_MARKET_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

contract TestMarket {
    error JobNotOpen(uint256 jobId);
    error NotProvider(address caller, uint256 jobId);

    event JobCreated(uint256 indexed jobId, address indexed user, uint256 maxPrice);
    event JobClaimed(uint256 indexed jobId, address indexed provider);

    mapping(uint256 => bool) public isOpen;
    mapping(uint256 => uint256) public claimCount;
    uint256 public totalClaims;

    function createJob(uint256 jobId, uint256 maxPrice) external {
        isOpen[jobId] = true;
        emit JobCreated(jobId, msg.sender, maxPrice);
    }

    function claimJob(uint256 jobId) external {
        if (!isOpen[jobId]) revert JobNotOpen(jobId);
        isOpen[jobId] = false;
        claimCount[jobId] += 1;
        totalClaims += 1;
        emit JobClaimed(jobId, msg.sender);
    }
}
`;

/** anvil's default accounts, derived from its well-known test mnemonic (public, funded on every anvil). */
export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
export const ANVIL_KEYS: readonly Hex[] = [0, 1, 2, 3].map((addressIndex) =>
  toHex(mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex }).getHdKey().privateKey as Uint8Array),
);

export function testMarket() {
  return compileSolidity(TEST_MARKET_SOURCE, "TestMarket");
}

export function chainClients(url: string) {
  const transport = http(url, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 50 });
  const testClient = createTestClient({ chain: foundry, mode: "anvil", transport }).extend(publicActions);
  const user = createWalletClient({
    chain: foundry,
    transport,
    account: privateKeyToAccount(ANVIL_KEYS[1] as Hex),
  }).extend(publicActions);
  return { publicClient, testClient, user };
}

export async function deployTestMarket(url: string): Promise<{ address: Address; blockNumber: bigint }> {
  const { abi, bytecode } = testMarket();
  const { user } = chainClients(url);
  const hash = await user.deployContract({ abi, bytecode });
  const receipt = await user.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  if (!receipt.contractAddress) throw new Error("deploy failed");
  return { address: receipt.contractAddress, blockNumber: receipt.blockNumber };
}

export type { Client };
