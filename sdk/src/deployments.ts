// deployments/<chainId>.json: where the market's contracts are on one chain and the block each was deployed in
// (where event scans start). Written by @octo/devnet and scripts/deploy.ts, read by the worker, apps and the sdk.
import { getAddress, type Address } from "viem";
import { z } from "zod";
import { DeploymentsError } from "./errors/errors.ts";

const deployed = z.strictObject({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  deployedOnBlock: z.number().int().nonnegative(),
});

/** The file's schema: the three contracts every client needs, any others (the staking token, the verifier, a test
 *  payment token) under their contract names. */
export const deploymentsSchema = z.strictObject({
  chainId: z.number().int().positive(),
  contracts: z.looseObject({ JobMarket: deployed, StakingRegistry: deployed, ModelRegistry: deployed }),
});
export type DeploymentsFile = z.infer<typeof deploymentsSchema>;

export type Deployment = { address: Address; deployedOnBlock: bigint };
export type Deployments = {
  chainId: number;
  contracts: { JobMarket: Deployment; StakingRegistry: Deployment; ModelRegistry: Deployment } & Partial<
    Record<string, Deployment>
  >;
};

/** Parses a deployments file (its JSON text or value); with `chainId`, refuses a file for another chain. */
export function parseDeployments(file: unknown, { chainId }: { chainId?: number } = {}): Deployments {
  let parsed: DeploymentsFile;
  try {
    parsed = deploymentsSchema.parse(typeof file === "string" ? JSON.parse(file) : file);
  } catch (cause) {
    throw new DeploymentsError("not a deployments file", {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  if (chainId !== undefined && parsed.chainId !== chainId) {
    throw new DeploymentsError(`the deployments are for chain ${parsed.chainId}, not ${chainId}`, {
      details: "wrong network?",
    });
  }
  const contracts: Record<string, Deployment> = {};
  for (const [name, value] of Object.entries(parsed.contracts)) {
    const d = deployed.parse(value);
    contracts[name] = { address: getAddress(d.address), deployedOnBlock: BigInt(d.deployedOnBlock) };
  }
  return { chainId: parsed.chainId, contracts: contracts as Deployments["contracts"] };
}

/** The file's JSON text for `deployments`. */
export function serializeDeployments(deployments: Deployments): string {
  const contracts = Object.fromEntries(
    Object.entries(deployments.contracts).flatMap(([name, d]) =>
      d ? [[name, { address: d.address, deployedOnBlock: Number(d.deployedOnBlock) }]] : [],
    ),
  );
  return JSON.stringify({ chainId: deployments.chainId, contracts }, null, 2) + "\n";
}
