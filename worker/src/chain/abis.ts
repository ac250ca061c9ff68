// The contract ABIs the worker uses. TEMPORARY: read from the Hardhat build until the generated `as const` module lands.
// The market's ABI carries the registries' errors too, so a revert from inside claimJob decodes by name.
import { createRequire } from "node:module";
import { erc20Abi, type Abi } from "viem";

const require = createRequire(import.meta.url);
const load = (path: string) => (require(`../../../artifacts/contracts/${path}`) as { abi: Abi }).abi;
const errorsOf = (abi: Abi) => abi.filter((item) => item.type === "error");

export const stakingRegistryAbi = load("StakingRegistry.sol/StakingRegistry.json");
export const modelRegistryAbi = load("ModelRegistry.sol/ModelRegistry.json");
export const jobMarketAbi: Abi = [...load("JobMarket.sol/JobMarket.json"), ...errorsOf(stakingRegistryAbi), ...errorsOf(modelRegistryAbi)];
export { erc20Abi };
