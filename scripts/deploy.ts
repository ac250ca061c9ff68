// Deploys the whole system with Hardhat Ignition and writes deployments/<chainId>.json, which worker and web read:
//   { "chainId": 31337, "contracts": { "JobMarket": { "address": "0x…", "deployedOnBlock": 12 }, … } }
// Usage: pnpm exec hardhat run scripts/deploy.ts [--network localhost|amoy|polygon]
//        with OCTO_IGNITION_PARAMETERS=ignition/parameters/<file>.json for Amoy (payment token) and Polygon (tokens).
// OCTO_DEPLOYMENT_ID (Ignition's journal folder under ignition/deployments/, default chain-<chainId>) and
// OCTO_DEPLOYMENTS_DIR (where deployments/<chainId>.json goes, default deployments/) keep a rehearsal
// (scripts/rehearseDeploy.ts) away from a real deployment's journal and file.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { network } from "hardhat";
import { getAddress, isAddress, zeroAddress } from "viem";
import { parseDeployments, serializeDeployments, type Deployment, type Deployments } from "@octo/sdk";

const { ethers, ignition } = await network.connect();
const chainId = Number((await ethers.provider.getNetwork()).chainId);
// The development key goes to local chains only; any other chain than Amoy and Polygon is refused. Modules are
// imported on demand: building the Amoy and Polygon modules checks their ceremony and throws without one.
const LOCAL_CHAIN_IDS = [31337, 1337];
const modulePath =
  chainId === 137
    ? "OctoPolygon"
    : chainId === 80002
      ? "OctoTestnet"
      : LOCAL_CHAIN_IDS.includes(chainId)
        ? "OctoLocal"
        : undefined;
if (modulePath === undefined)
  throw new Error(
    `no deploy module for chain ${chainId}: OctoLocal (the development key) is for chains ${LOCAL_CHAIN_IDS.join(", ")} only`,
  );
const { default: module } = (await import(
  `../ignition/modules/${modulePath}.ts`
)) as typeof import("../ignition/modules/OctoLocal.ts");
const parametersPath = process.env.OCTO_IGNITION_PARAMETERS;
const parameters = parametersPath ? JSON.parse(readFileSync(parametersPath, "utf8")) : {};
// A public deployment hands every admin role to a timelock proposed to by `governance` (ignition/modules/governance.ts):
// a missing or zero governance address would leave the market with no one able to change anything, ever.
if (modulePath !== "OctoLocal") {
  const own = (parameters[modulePath] ?? {}) as Record<string, unknown>;
  if (typeof own.governance !== "string" || !isAddress(own.governance) || own.governance === zeroAddress)
    throw new Error(
      `${parametersPath ?? "OCTO_IGNITION_PARAMETERS"}: ${modulePath}.governance must be governance's multisig address`,
    );
  if (typeof own.guardian !== "string" || !isAddress(own.guardian) || own.guardian === zeroAddress)
    throw new Error(
      `${parametersPath ?? "OCTO_IGNITION_PARAMETERS"}: ${modulePath}.guardian must be the address that may pause at once`,
    );
  if (!(Number(own.timelockDelaySeconds) > 0))
    throw new Error(
      `${parametersPath ?? "OCTO_IGNITION_PARAMETERS"}: ${modulePath}.timelockDelaySeconds must be the timelock's delay in seconds`,
    );
}

const deploymentId = process.env.OCTO_DEPLOYMENT_ID || undefined;
const deployed = (await ignition.deploy(module, { parameters, deploymentId })) as Record<
  string,
  { getAddress(): Promise<string> }
>;
const contracts: Record<string, Deployment> = {};
const names: Record<string, string> = {
  octoToken: "OctoToken",
  mockUSDC: "MockUSDC",
  resultVerifier: "ResultVerifier",
  modelRegistry: "ModelRegistry",
  stakingRegistry: "StakingRegistry",
  jobMarket: "JobMarket",
  timelock: "OctoTimelock",
};
for (const [key, contract] of Object.entries(deployed)) {
  const address = await contract.getAddress();
  contracts[names[key] ?? key] = {
    address: getAddress(address),
    deployedOnBlock: BigInt(await creationBlock(address)),
  };
}
const deploymentsDir = process.env.OCTO_DEPLOYMENTS_DIR || "deployments";
mkdirSync(deploymentsDir, { recursive: true });
const file = `${deploymentsDir}/${chainId}.json`;
// The sdk's one format (and schema: parseDeployments reads it back), which the worker and apps read.
const text = serializeDeployments({ chainId, contracts: contracts as Deployments["contracts"] });
parseDeployments(text, { chainId });
writeFileSync(file, text);
console.log(`wrote ${file}`);
console.log(text);

/** The first block at which `address` has code (binary search; works on any RPC, including pruned ones near head). */
async function creationBlock(address: string): Promise<number> {
  let lo = 0;
  let hi = await ethers.provider.getBlockNumber();
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await ethers.provider.getCode(address, mid)) === "0x") lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
