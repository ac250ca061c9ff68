/**
 * Lists a model in a local devnet's registry, as governance would on a real network (the dev deployer holds the
 * model admin role there). For `octo-worker setup --register-model` and tests; refuses any chain but a local anvil.
 *
 * API: registerDevModel({ rpcUrl, deployments, spec, minTier? }): Promise<{ modelId, registered }>
 *   registered is false when the model was already listed (nothing is sent).
 */
import type { Hex } from "viem";
import { modelRegistryAbi, ModelStatus, type Deployments } from "@octo/sdk";
import { devnetClients } from "./devnetClients.ts";
import type { ModelSpec } from "./startDevnet.ts";

export type RegisterDevModelParameters = {
  rpcUrl: string;
  deployments: Deployments;
  spec: ModelSpec;
  minTier?: number;
};
export type RegisterDevModelReturnType = { modelId: Hex; registered: boolean };

export async function registerDevModel({
  rpcUrl,
  deployments,
  spec,
  minTier = 0,
}: RegisterDevModelParameters): Promise<RegisterDevModelReturnType> {
  const { publicClient, deployer, wait } = await devnetClients(rpcUrl, "registering a model with the dev deployer");
  const registry = { address: deployments.contracts.ModelRegistry.address, abi: modelRegistryAbi } as const;
  const modelId = await publicClient.readContract({ ...registry, functionName: "computeModelId", args: [spec] });
  const { status } = await publicClient.readContract({ ...registry, functionName: "getModel", args: [modelId] });
  if (status !== ModelStatus.None) return { modelId, registered: false };
  await wait(await deployer.writeContract({ ...registry, functionName: "registerModel", args: [spec, minTier] }));
  return { modelId, registered: true };
}
