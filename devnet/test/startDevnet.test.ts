// The devnet: one call gives a deployed, bound market with a listed model and a funded user; providers register in
// one more; time passes on request.
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bytesToHex, maxUint256, parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { generateEncryptionKeyPair } from "@octo/circuits";
import { jobMarketAbi, parseDeployments, stakingRegistryAbi } from "@octo/sdk";
import { mockUSDCAbi } from "@octo/sdk/testing";
import { DEV_ROLES, startDevnet, type Devnet } from "../src/index.ts";

describe("startDevnet", () => {
  let devnet: Devnet;
  const model = {
    name: "devnet-test",
    weightsDigest: `0x${"22".repeat(32)}`,
    quantization: "f32",
    engine: "test",
  } as const;

  before(async () => {
    devnet = await startDevnet({ model });
  });
  after(async () => devnet?.stop());

  it("startDevnet_deploysAMarketBoundToItsRegistriesAndToken", async () => {
    const [verifier, staking, models] = await devnet.publicClient.readContract({
      address: devnet.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "dependencies",
    });
    expect([verifier, staking, models]).to.deep.equal([
      devnet.contracts.ResultVerifier.address,
      devnet.contracts.StakingRegistry.address,
      devnet.contracts.ModelRegistry.address,
    ]);
    const bound = await devnet.publicClient.readContract({
      address: devnet.contracts.StakingRegistry.address,
      abi: stakingRegistryAbi,
      functionName: "jobMarket",
    });
    expect(bound).to.equal(devnet.contracts.JobMarket.address);
    const [, allowed] = await devnet.publicClient.readContract({
      address: devnet.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "paymentToken",
      args: [1],
    });
    expect(allowed).to.equal(true);
  });

  it("startDevnet_fundsTheUserAndApprovesTheMarket", async () => {
    const usdc = { address: devnet.contracts.MockUSDC.address, abi: mockUSDCAbi } as const;
    expect(devnet.user.address).to.equal(privateKeyToAccount(DEV_ROLES.user).address);
    expect(
      await devnet.publicClient.readContract({ ...usdc, functionName: "balanceOf", args: [devnet.user.address] }),
    ).to.equal(parseUnits("1000", 6));
    expect(
      await devnet.publicClient.readContract({
        ...usdc,
        functionName: "allowance",
        args: [devnet.user.address, devnet.contracts.JobMarket.address],
      }),
    ).to.equal(maxUint256);
  });

  it("registerProvider_makesTheProviderEligibleForTheModel", async () => {
    const account = privateKeyToAccount(DEV_ROLES.provider);
    await devnet.registerProvider({
      account,
      encryptionPublicKey: bytesToHex(generateEncryptionKeyPair().publicKey),
      pricePerToken: 7n,
      maxContext: 256,
    });
    const staking = { address: devnet.contracts.StakingRegistry.address, abi: stakingRegistryAbi } as const;
    expect(
      await devnet.publicClient.readContract({
        ...staking,
        functionName: "isEligible",
        args: [account.address, devnet.modelId!, 0],
      }),
    ).to.equal(true);
    const offer = await devnet.publicClient.readContract({
      ...staking,
      functionName: "getOffer",
      args: [account.address, devnet.modelId!, devnet.contracts.MockUSDC.address],
    });
    expect(offer).to.deep.equal({ pricePerToken: 7n, maxContext: 256, capacity: 16, active: true });
    expect(
      (await devnet.publicClient.readContract({ ...staking, functionName: "getProvider", args: [account.address] }))
        .stake,
    ).to.equal(parseUnits("2000", 18));
  });

  it("passTime_movesTheChainClockForward", async () => {
    const before = (await devnet.publicClient.getBlock()).timestamp;
    await devnet.passTime(3600);
    expect((await devnet.publicClient.getBlock()).timestamp - before >= 3600n).to.equal(true);
  });

  it("writeDeployments_writesAFileTheSdkParses", () => {
    const dir = mkdtempSync(join(tmpdir(), "octo-devnet-"));
    try {
      devnet.writeDeployments(join(dir, "31337.json"));
      expect(parseDeployments(readFileSync(join(dir, "31337.json"), "utf8"), { chainId: 31337 })).to.deep.equal(
        devnet.deployments,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
