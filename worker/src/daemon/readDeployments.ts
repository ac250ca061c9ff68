// The deployments file written by the deploy script and @octo/devnet (deployments/<chainId>.json), read with the
// sdk's one schema: the three contracts the worker talks to, with their addresses and start blocks.
import { readFileSync } from "node:fs";
import { parseDeployments, DeploymentsError, type Deployment } from "@octo/sdk";

export type { Deployment };
export type Deployments = {
  chainId: number;
  JobMarket: Deployment;
  StakingRegistry: Deployment;
  ModelRegistry: Deployment;
};

export function readDeployments(path: string, expectedChainId: number): Deployments {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new DeploymentsError(`deployments: cannot read ${path} — run the deploy script for this chain first`, {
      cause,
    });
  }
  const { chainId, contracts } = parseDeployments(text, { chainId: expectedChainId });
  return {
    chainId,
    JobMarket: contracts.JobMarket,
    StakingRegistry: contracts.StakingRegistry,
    ModelRegistry: contracts.ModelRegistry,
  };
}
