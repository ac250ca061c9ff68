// The chain's side of a provider's setup, read in one pass: balances, the provider's record, the tiers' minimums,
// the model's registry entry and the standing offer. planSetup decides from this alone.
import type { Address, Client, Hex } from "viem";
import { getBalance, readContract } from "viem/actions";
import { ModelStatus } from "@octo/sdk";
import { erc20Abi, modelRegistryAbi, stakingRegistryAbi } from "../../chain/abis.ts";
import type { SetupState } from "./planSetup.ts";

export type ReadSetupStateParameters = {
  client: Client;
  address: Address;
  staking: Address;
  modelRegistry: Address;
  modelId: Hex;
  paymentToken: Address;
};

export async function readSetupState({
  client,
  address,
  staking,
  modelRegistry,
  modelId,
  paymentToken,
}: ReadSetupStateParameters): Promise<SetupState & { octoToken: Address }> {
  const octoToken = await readContract(client, {
    address: staking,
    abi: stakingRegistryAbi,
    functionName: "stakingToken",
  });
  const [gasBalance, decimals, balance, allowance, provider, m0, m1, m2, model, offer, determinismClass] =
    await Promise.all([
      getBalance(client, { address }),
      readContract(client, { address: octoToken, abi: erc20Abi, functionName: "decimals" }),
      readContract(client, { address: octoToken, abi: erc20Abi, functionName: "balanceOf", args: [address] }),
      readContract(client, { address: octoToken, abi: erc20Abi, functionName: "allowance", args: [address, staking] }),
      readContract(client, { address: staking, abi: stakingRegistryAbi, functionName: "getProvider", args: [address] }),
      readContract(client, { address: staking, abi: stakingRegistryAbi, functionName: "tierMinimumStake", args: [0] }),
      readContract(client, { address: staking, abi: stakingRegistryAbi, functionName: "tierMinimumStake", args: [1] }),
      readContract(client, { address: staking, abi: stakingRegistryAbi, functionName: "tierMinimumStake", args: [2] }),
      readContract(client, {
        address: modelRegistry,
        abi: modelRegistryAbi,
        functionName: "getModel",
        args: [modelId],
      }),
      readContract(client, {
        address: staking,
        abi: stakingRegistryAbi,
        functionName: "getOffer",
        args: [address, modelId, paymentToken],
      }),
      readContract(client, {
        address: staking,
        abi: stakingRegistryAbi,
        functionName: "classOf",
        args: [address, modelId],
      }),
    ]);
  return {
    octoToken,
    address,
    gasBalance,
    octo: { decimals, balance, allowance },
    provider: {
      registered: provider.registered,
      accepting: provider.accepting,
      tier: Number(provider.tier),
      stake: provider.stake,
      unbonding: provider.unbonding,
      unbondableAt: Number(provider.unbondableAt),
    },
    minimums: [m0, m1, m2],
    model: {
      modelId,
      registered: model.status !== ModelStatus.None,
      active: model.status === ModelStatus.Active,
      minTier: Number(model.minTier),
    },
    offer: {
      active: offer.active,
      pricePerToken: offer.pricePerToken,
      maxContext: Number(offer.maxContext),
      capacity: Number(offer.capacity),
      determinismClass,
    },
  };
}
