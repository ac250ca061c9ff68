import type { Hex } from "viem";
import { getContractEvents, readContract } from "viem/actions";
import { modelRegistryAbi } from "../generated/abis.ts";
import { ModelStatusNames, type ModelStatusName } from "../generated/enums.ts";
import type { OctoClient, WithDeployments } from "../internal/client.ts";

export type ListModelsParameters = WithDeployments & {
  /** Include deprecated and retired models (default: active ones only). */
  includeInactive?: boolean;
};
export type Model = {
  modelId: Hex;
  name: string;
  weightsDigest: Hex;
  quantization: string;
  engine: string;
  status: ModelStatusName;
  minTier: number;
};
export type ListModelsReturnType = Model[];

/** The models the registry lists, from its ModelRegistered events, with their current status and minimum tier. */
export async function listModels(
  client: OctoClient,
  { deployments, includeInactive = false }: ListModelsParameters,
): Promise<ListModelsReturnType> {
  const registry = deployments.contracts.ModelRegistry;
  const logs = await getContractEvents(client, {
    address: registry.address,
    abi: modelRegistryAbi,
    eventName: "ModelRegistered",
    fromBlock: registry.deployedOnBlock,
    strict: true,
  });
  const models: Model[] = [];
  for (const { args } of logs) {
    const { status, minTier } = await readContract(client, {
      address: registry.address,
      abi: modelRegistryAbi,
      functionName: "getModel",
      args: [args.modelId],
    });
    const statusName = ModelStatusNames[status]!;
    if (includeInactive || statusName === "Active")
      models.push({ modelId: args.modelId, ...args.spec, status: statusName, minTier });
  }
  return models;
}
