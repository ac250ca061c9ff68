// A whole local market in one call: anvil on a free port, the market deployed from the Hardhat build, a model listed,
// the user funded with test USDC (and the market approved to spend it), and helpers to register providers and pass
// time. Used by `npm start`, the sdk's and the worker's tests and the benchmarks.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  maxUint256,
  parseUnits,
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
  type PrivateKeyAccount,
  zeroHash,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import {
  decodeRevert,
  jobMarketAbi,
  modelRegistryAbi,
  octoTokenAbi,
  serializeDeployments,
  stakingRegistryAbi,
} from "@octo/sdk";
import { mockUSDCAbi } from "@octo/sdk/testing";
import { DEV_ROLES } from "./devAccounts.ts";
import { deployMarket } from "./deployMarket.ts";
import { startAnvil } from "./startAnvil.ts";

export type ModelSpec = { name: string; weightsDigest: Hex; quantization: string; engine: string };

export type StartDevnetParameters = {
  /** A model to list (its id is `modelId`); none when omitted. */
  model?: ModelSpec | undefined;
  port?: number | undefined;
  artifactsDir?: string | undefined;
  /** USDC minted to the user (default 1,000). */
  userFunds?: bigint | undefined;
};

export type RegisterProviderParameters = {
  account: PrivateKeyAccount;
  /** The provider's X25519 public key (32 bytes). */
  encryptionPublicKey: Hex;
  pricePerToken: bigint;
  maxContext: number;
  /** OCTO staked, whole tokens (default 2,000: twenty claims at the default collateral). */
  stake?: bigint | undefined;
  tier?: number | undefined;
  /** The model offered (default: the devnet's). */
  modelId?: Hex | undefined;
  /** Jobs the offer takes at once (default 16): a named job beyond it is refused at creation. */
  capacity?: number | undefined;
  /** The offer's determinism class (default zero: all of a devnet's providers in one class). */
  determinismClass?: Hex | undefined;
};

export async function startDevnet({
  model,
  port,
  artifactsDir,
  userFunds = parseUnits("1000", 6),
}: StartDevnetParameters = {}) {
  const anvil = await startAnvil(port === undefined ? {} : { port });
  const transport = http(anvil.url);
  const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 100 });
  const testClient = createTestClient({ chain: foundry, transport, mode: "anvil" });
  const walletClient = (account: PrivateKeyAccount) =>
    createWalletClient({ chain: foundry, transport, account, pollingInterval: 100 });
  const deployer = privateKeyToAccount(DEV_ROLES.deployer);
  const user = privateKeyToAccount(DEV_ROLES.user);

  /** Sends one typed contract call from `account` and waits for it; reverts are thrown decoded. */
  async function write<const abi extends Abi, functionName extends ContractFunctionName<abi, "nonpayable" | "payable">>(
    account: PrivateKeyAccount,
    call: {
      address: Address;
      abi: abi;
      functionName: functionName;
      args: ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>;
    },
  ) {
    let hash: Hex;
    try {
      hash = await walletClient(account).writeContract(call as never);
    } catch (error) {
      throw decodeRevert(error) ?? error;
    }
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${String(call.functionName)} reverted (${hash})`);
    return receipt;
  }

  const { deployments, contracts } = await deployMarket({
    publicClient,
    walletClient: walletClient(deployer),
    ...(artifactsDir ? { artifactsDir } : {}),
  });
  const market = contracts.JobMarket.address;
  // A local market runs one provider: nobody else could sit on its committee, and the registry's default (two other
  // providers of the class) would refuse every job. Only a development chain lowers it; real networks keep it.
  await write(deployer, {
    address: contracts.StakingRegistry.address,
    abi: stakingRegistryAbi,
    functionName: "setMinValidators",
    args: [0],
  });

  async function registerModel(spec: ModelSpec, minTier = 0): Promise<Hex> {
    await write(deployer, {
      address: contracts.ModelRegistry.address,
      abi: modelRegistryAbi,
      functionName: "registerModel",
      args: [spec, minTier],
    });
    return publicClient.readContract({
      address: contracts.ModelRegistry.address,
      abi: modelRegistryAbi,
      functionName: "computeModelId",
      args: [spec],
    });
  }
  const modelId = model ? await registerModel(model) : undefined;
  await write(deployer, {
    address: contracts.MockUSDC.address,
    abi: mockUSDCAbi,
    functionName: "mint",
    args: [user.address, userFunds],
  });
  await write(user, {
    address: contracts.MockUSDC.address,
    abi: mockUSDCAbi,
    functionName: "approve",
    args: [market, maxUint256],
  });
  const [, challengeWindow, disputeWindow, keyDeliveryWindow] = await publicClient.readContract({
    address: market,
    abi: jobMarketAbi,
    functionName: "parameters",
  });

  return {
    rpcUrl: anvil.url,
    chainId: foundry.id,
    chain: foundry,
    anvil,
    publicClient,
    testClient,
    walletClient,
    write,
    deployments,
    contracts,
    modelId,
    deployer,
    user,
    windows: { challengeWindow, disputeWindow, keyDeliveryWindow },
    registerModel,

    /** Funds, stakes, registers and offers: the provider is ready to claim jobs for the model in USDC. */
    async registerProvider({
      account,
      encryptionPublicKey,
      pricePerToken,
      maxContext,
      stake = 2_000n,
      tier = 0,
      modelId: offered = modelId,
      capacity = 16,
      determinismClass = zeroHash,
    }: RegisterProviderParameters) {
      if (!offered)
        throw new Error("registerProvider: no model to offer (start the devnet with a model, or pass modelId)");
      const amount = parseUnits(stake.toString(), 18);
      await walletClient(deployer).sendTransaction({ to: account.address, value: parseUnits("10", 18) });
      await write(deployer, {
        address: contracts.OctoToken.address,
        abi: octoTokenAbi,
        functionName: "transfer",
        args: [account.address, amount],
      });
      await write(account, {
        address: contracts.OctoToken.address,
        abi: octoTokenAbi,
        functionName: "approve",
        args: [contracts.StakingRegistry.address, amount],
      });
      const staking = { address: contracts.StakingRegistry.address, abi: stakingRegistryAbi } as const;
      await write(account, { ...staking, functionName: "register", args: [tier, encryptionPublicKey, ""] });
      await write(account, { ...staking, functionName: "setAccepting", args: [true] });
      await write(account, { ...staking, functionName: "stake", args: [amount] });
      await write(account, {
        ...staking,
        functionName: "setOffer",
        args: [offered, contracts.MockUSDC.address, pricePerToken, maxContext, capacity, determinismClass],
      });
    },

    /** Moves chain time forward by `seconds` and mines a block. */
    async passTime(seconds: number | bigint) {
      await testClient.increaseTime({ seconds: Number(seconds) });
      await testClient.mine({ blocks: 1 });
    },
    /** Past the challenge window of a result submitted now. */
    async passChallengeWindow() {
      await testClient.increaseTime({ seconds: Number(challengeWindow) + 1 });
      await testClient.mine({ blocks: 1 });
    },

    /** Writes deployments/<chainId>.json as the worker and apps read it. */
    writeDeployments(path: string) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, serializeDeployments(deployments));
    },

    stop: () => anvil.stop(),
  };
}

export type Devnet = Awaited<ReturnType<typeof startDevnet>>;
