// The contract ABIs the worker uses, generated into @octo/sdk from the build (never copied by hand).
// Transactions to the market go out with `marketCallAbi`: the market's ABI plus the registries' errors, so a revert
// from inside claimJob (e.g. StakingProviderIneligible) is decoded by name.
import { erc20Abi, type Abi } from "viem";
import { jobMarketAbi, modelRegistryAbi, stakingRegistryAbi } from "@octo/sdk";

const errorsOf = (abi: Abi) => abi.filter((item) => item.type === "error");

export const marketCallAbi: Abi = [...jobMarketAbi, ...errorsOf(stakingRegistryAbi), ...errorsOf(modelRegistryAbi)];
export { erc20Abi, jobMarketAbi, modelRegistryAbi, stakingRegistryAbi };
