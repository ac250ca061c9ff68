// supportsPermit against real tokens on a real local chain (anvil): the devnet's MockUSDC (OpenZeppelin's ERC20Permit,
// the market's payment token there) and the repository's fee-on-transfer test token (a plain ERC20 without permit).
import { createPublicClient, createWalletClient, http, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deployContract, waitForTransactionReceipt } from "viem/actions";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Anvil, DEV_KEYS, readArtifact, startAnvil } from "@octo/devnet";
import { supportsPermit } from "./permitSupport.ts";

describe("supportsPermit", () => {
  let anvil: Anvil;
  let reader: ReturnType<typeof createPublicClient>;
  let mockUsdc: Address;
  let plainToken: Address;

  beforeAll(async () => {
    anvil = await startAnvil();
    const chain = { ...foundry, rpcUrls: { default: { http: [anvil.url] } } };
    reader = createPublicClient({ chain, transport: http(anvil.url) });
    const deployer = createWalletClient({
      account: privateKeyToAccount(DEV_KEYS[0] as Hex),
      chain,
      transport: http(anvil.url),
    });
    const deploy = async (source: string, name: string) => {
      const { abi, bytecode } = readArtifact(source, name);
      const hash = await deployContract(deployer, { abi, bytecode });
      const { contractAddress } = await waitForTransactionReceipt(reader, { hash });
      return contractAddress!;
    };
    mockUsdc = await deploy("mocks/MockUSDC.sol", "MockUSDC");
    plainToken = await deploy("mocks/FeeOnTransferToken.sol", "FeeOnTransferToken");
  }, 60_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it("is true for a token with EIP-2612 (nonces, DOMAIN_SEPARATOR, eip712Domain)", async () => {
    expect(await supportsPermit(reader, mockUsdc)).toBe(true);
  });

  it("is false for an ERC-20 without permit (its reads revert)", async () => {
    expect(await supportsPermit(reader, plainToken)).toBe(false);
  });

  it("is false for an address without code (nothing comes back)", async () => {
    expect(await supportsPermit(reader, "0x000000000000000000000000000000000000dEaD")).toBe(false);
  });

  it("an RPC that does not answer is an error, not a no", async () => {
    const down = createPublicClient({ chain: foundry, transport: http("http://127.0.0.1:9", { retryCount: 0 }) });
    await expect(supportsPermit(down, mockUsdc)).rejects.toThrow();
  });
});
