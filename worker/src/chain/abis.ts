// The contract ABIs the worker uses, generated into @octo/sdk from the build (never copied by hand).
// Transactions to the market go out with `marketCallAbi`: the market's ABI plus the registries' errors, so a revert
// from inside claimJob (e.g. StakingProviderIneligible) is decoded by name. It keeps the `as const` types, so the
// sender checks every call's function name and arguments against it at compile time.
import { erc20Abi, type Abi } from "viem";
import { jobMarketAbi, modelRegistryAbi, stakingRegistryAbi } from "@octo/sdk";

type ErrorOf<abi extends Abi> = Extract<abi[number], { type: "error" }>;
const errorsOf = <const abi extends Abi>(abi: abi): ErrorOf<abi>[] =>
  abi.filter((item): item is ErrorOf<abi> => item.type === "error");

export const marketCallAbi = [...jobMarketAbi, ...errorsOf(stakingRegistryAbi), ...errorsOf(modelRegistryAbi)];
export { erc20Abi, jobMarketAbi, modelRegistryAbi, stakingRegistryAbi };
