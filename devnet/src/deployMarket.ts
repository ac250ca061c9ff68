// Deploys the whole market from the Hardhat build (artifacts/), following DEPLOY_PLAN: contracts in order, external
// libraries linked from the artifacts' link references, then the binding calls. Used on fresh local chains only;
// real networks deploy through the Ignition modules, whose journal would describe a chain that no longer exists here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  getAddress,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import type { Deployment, Deployments } from "@octo/sdk";
import { DEPLOY_PARAMETERS, DEPLOY_PLAN, type PlanArgument, type PlanContractName } from "./deployPlan.ts";

/** The repository's Hardhat build output, where `pnpm build` writes it. */
export const DEFAULT_ARTIFACTS_DIR = fileURLToPath(new URL("../../artifacts", import.meta.url));

type LinkReferences = Record<string, Record<string, { start: number; length: number }[]>>;
export type Artifact = { abi: Abi; bytecode: Hex; linkReferences?: LinkReferences };

/** A contract's Hardhat artifact: `source` relative to contracts/ (e.g. "mocks/MockUSDC.sol"). */
export function readArtifact(source: string, name: string, artifactsDir = DEFAULT_ARTIFACTS_DIR): Artifact {
  return readArtifactAt(join(artifactsDir, "contracts", source, `${name}.json`));
}

function readArtifactAt(path: string): Artifact {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Artifact;
  } catch {
    throw new Error(`missing build artifact ${path}: run \`pnpm build\` (hardhat build) first`);
  }
}

export type DeployMarketParameters = {
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain, Account>;
  artifactsDir?: string;
  /** Overrides of DEPLOY_PARAMETERS (admin and treasury default to the deployer). */
  parameters?: Partial<{ admin: Address; treasury: Address; octoSupply: bigint; stakingDecimalsUnit: bigint }>;
};
export type DeployMarketReturnType = {
  deployments: Deployments;
  /** Every contract of the plan, by name. */
  contracts: Record<PlanContractName, Deployment>;
  /** The external libraries, by fully qualified name (`project/contracts/…sol:Name`). */
  libraries: Map<string, Address>;
};

export async function deployMarket({
  publicClient,
  walletClient,
  artifactsDir = DEFAULT_ARTIFACTS_DIR,
  parameters = {},
}: DeployMarketParameters): Promise<DeployMarketReturnType> {
  const deployer = walletClient.account.address;
  const values = { ...DEPLOY_PARAMETERS, admin: deployer, treasury: deployer, ...parameters };

  const libraries = new Map<string, Address>();
  const deployBytecode = async (artifact: Artifact, args: readonly unknown[]): Promise<Deployment> => {
    const hash = await walletClient.deployContract({ abi: artifact.abi, bytecode: await link(artifact), args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (!receipt.contractAddress) throw new Error(`deployment ${hash} created no contract`);
    return { address: getAddress(receipt.contractAddress), deployedOnBlock: receipt.blockNumber };
  };
  async function link({ bytecode, linkReferences = {} }: Artifact): Promise<Hex> {
    let code = bytecode.slice(2);
    for (const [source, libs] of Object.entries(linkReferences)) {
      for (const [name, refs] of Object.entries(libs)) {
        const key = `${source}:${name}`;
        if (!libraries.has(key))
          libraries.set(
            key,
            (
              await deployBytecode(
                readArtifactAt(join(artifactsDir, source.replace(/^project\//, ""), `${name}.json`)),
                [],
              )
            ).address,
          );
        const address = libraries.get(key)!.slice(2).toLowerCase();
        for (const { start, length } of refs)
          code = code.slice(0, start * 2) + address + code.slice((start + length) * 2);
      }
    }
    return `0x${code}`;
  }

  const contracts = {} as Record<PlanContractName, Deployment>;
  const abis = {} as Record<PlanContractName, Abi>;
  const resolve = (arg: PlanArgument) =>
    "contract" in arg
      ? contracts[arg.contract as PlanContractName].address
      : "parameter" in arg
        ? values[arg.parameter]
        : arg.value;
  for (const { name, source, args } of DEPLOY_PLAN.contracts) {
    const artifact = readArtifact(source, name, artifactsDir);
    abis[name] = artifact.abi;
    contracts[name] = await deployBytecode(artifact, args.map(resolve));
  }
  for (const { contract, functionName, args } of DEPLOY_PLAN.calls) {
    const hash = await walletClient.writeContract({
      address: contracts[contract].address,
      abi: abis[contract],
      functionName,
      args: args.map(resolve),
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${contract}.${functionName} reverted`);
  }
  const chainId = await publicClient.getChainId();
  return { deployments: { chainId, contracts: { ...contracts } }, contracts, libraries };
}
