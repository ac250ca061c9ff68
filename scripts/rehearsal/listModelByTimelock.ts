// Lists a model as governance does on a public network (docs/deployer-guide.md, "After the deploy"): the multisig
// schedules ModelRegistry.registerModel on the timelock, the delay passes (here: anvil's clock is moved past it),
// and anyone executes. Shows on the rehearsal's chain that the deployed market is governed as the guide says.
import {
  encodeFunctionData,
  parseAbi,
  zeroHash,
  type Address,
  type Hex,
  type PublicClient,
  type TestClient,
  type WalletClient,
} from "viem";
import { modelRegistryAbi } from "@octo/sdk";

const timelockAbi = parseAbi([
  "function getMinDelay() view returns (uint256)",
  "function schedule(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt, uint256 delay)",
  "function execute(address target, uint256 value, bytes payload, bytes32 predecessor, bytes32 salt) payable",
]);

export type ModelSpec = { name: string; weightsDigest: Hex; quantization: string; engine: string };
export type ListModelByTimelockParameters = {
  publicClient: PublicClient;
  testClient: TestClient;
  /** Governance's multisig (the timelock's only proposer), and anyone to execute. */
  governance: WalletClient & { account: { address: Address } };
  executor: WalletClient & { account: { address: Address } };
  timelock: Address;
  modelRegistry: Address;
  spec: ModelSpec;
  minTier?: number;
};

export async function listModelByTimelock(p: ListModelByTimelockParameters): Promise<{ modelId: Hex; delay: bigint }> {
  const { publicClient, testClient, timelock, modelRegistry, spec } = p;
  const data = encodeFunctionData({
    abi: modelRegistryAbi,
    functionName: "registerModel",
    args: [spec, p.minTier ?? 0],
  });
  const delay = await publicClient.readContract({ address: timelock, abi: timelockAbi, functionName: "getMinDelay" });
  const salt = zeroHash;
  const send = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`timelock transaction ${hash} reverted`);
  };
  await send(
    await p.governance.writeContract({
      address: timelock,
      abi: timelockAbi,
      functionName: "schedule",
      args: [modelRegistry, 0n, data, zeroHash, salt, delay],
      account: p.governance.account,
      chain: p.governance.chain,
    }),
  );
  await testClient.increaseTime({ seconds: Number(delay) + 1 });
  await testClient.mine({ blocks: 1 });
  await send(
    await p.executor.writeContract({
      address: timelock,
      abi: timelockAbi,
      functionName: "execute",
      args: [modelRegistry, 0n, data, zeroHash, salt],
      account: p.executor.account,
      chain: p.executor.chain,
    }),
  );
  const modelId = await publicClient.readContract({
    address: modelRegistry,
    abi: modelRegistryAbi,
    functionName: "computeModelId",
    args: [spec],
  });
  return { modelId, delay };
}
