// The deployments file written by the deploy script (deployments/<chainId>.json): addresses and start blocks.
import { readFileSync } from "node:fs";
import { getAddress, type Address } from "viem";
import { z } from "zod";
import { BaseError } from "../errors/BaseError.ts";

const deployed = z.object({ address: z.string().regex(/^0x[0-9a-fA-F]{40}$/), deployedOnBlock: z.number().int().nonnegative() });
const schema = z.object({
  chainId: z.number().int().positive(),
  contracts: z.object({ JobMarket: deployed, StakingRegistry: deployed, ModelRegistry: deployed }).passthrough(),
});

export type Deployment = { address: Address; deployedOnBlock: bigint };
export type Deployments = { chainId: number; JobMarket: Deployment; StakingRegistry: Deployment; ModelRegistry: Deployment };

export class DeploymentsError extends BaseError {
  override name = "DeploymentsError";
}

export function readDeployments(path: string, expectedChainId: number): Deployments {
  let parsed: z.infer<typeof schema>;
  try {
    parsed = schema.parse(JSON.parse(readFileSync(path, "utf8")));
  } catch (cause) {
    throw new DeploymentsError(`deployments: cannot read ${path} — run the deploy script for this chain first`, { cause });
  }
  if (parsed.chainId !== expectedChainId) {
    throw new DeploymentsError(`deployments: ${path} is for chain ${parsed.chainId}, but the config says chainId ${expectedChainId} — wrong network?`);
  }
  const one = (d: z.infer<typeof deployed>): Deployment => ({ address: getAddress(d.address), deployedOnBlock: BigInt(d.deployedOnBlock) });
  return { chainId: parsed.chainId, JobMarket: one(parsed.contracts.JobMarket), StakingRegistry: one(parsed.contracts.StakingRegistry), ModelRegistry: one(parsed.contracts.ModelRegistry) };
}
