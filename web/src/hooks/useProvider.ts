"use client";
// The provider dashboard's reads and writes. Reads: the registry's record of the provider, the tier minimums and
// unbonding delay, its offers per listed model, its staking-token holdings, and what it earned (JobFinalized) and
// lost (ProviderSlashed), with each payout's block time for the charts. Writes: one StakingRegistry call each (the sdk's ABI), simulated first so that a revert is
// shown in words before the wallet is asked; registering derives the encryption key in the browser with the sdk's
// deriveEncryptionKey, the same derivation the worker uses.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { bytesToHex, erc20Abi, type Address, type Hex } from "viem";
import { getBlock, getContractEvents, readContract, signMessage } from "viem/actions";
import { deriveEncryptionKey, jobMarketAbi, listModels, stakingRegistryAbi, type OctoClient } from "@octo/sdk";
import { sendContract } from "../lib/sendContract.ts";
import { useOcto } from "./useOcto.ts";

export function useProviderState(provider: Address | undefined, paymentToken: Address | undefined) {
  const { market, reader } = useOcto();
  return useQuery({
    queryKey: ["octo", market.chainId, "provider", provider, paymentToken],
    queryFn: async () => {
      const r = reader!;
      const staking = {
        address: market.deployments.contracts.StakingRegistry.address,
        abi: stakingRegistryAbi,
      } as const;
      const [record, delay, stakingToken, minimums, models] = await Promise.all([
        readContract(r, { ...staking, functionName: "getProvider", args: [provider!] }),
        readContract(r, { ...staking, functionName: "unbondingDelay" }),
        readContract(r, { ...staking, functionName: "stakingToken" }),
        Promise.all(
          [0, 1, 2].map((tier) => readContract(r, { ...staking, functionName: "tierMinimumStake", args: [tier] })),
        ),
        listModels(r, { deployments: market.deployments }),
      ]);
      const offers = await Promise.all(
        models.map(async (model) => ({
          model,
          offer: await readContract(r, {
            ...staking,
            functionName: "getOffer",
            args: [provider!, model.modelId, paymentToken!],
          }),
        })),
      );
      const [balance, allowance] = await Promise.all([
        readContract(r, { address: stakingToken, abi: erc20Abi, functionName: "balanceOf", args: [provider!] }),
        readContract(r, {
          address: stakingToken,
          abi: erc20Abi,
          functionName: "allowance",
          args: [provider!, staking.address],
        }),
      ]);
      const jobMarket = market.deployments.contracts.JobMarket;
      const range = {
        address: jobMarket.address,
        abi: jobMarketAbi,
        fromBlock: jobMarket.deployedOnBlock,
        strict: true,
      } as const;
      const finalized = await getContractEvents(r, {
        ...range,
        eventName: "JobFinalized",
        args: { provider: provider! },
      });
      const slashes = await getContractEvents(r, {
        ...staking,
        eventName: "ProviderSlashed",
        args: { provider: provider! },
        fromBlock: market.deployments.contracts.StakingRegistry.deployedOnBlock,
        strict: true,
      });
      // Each payout's time, for the charts: one block read per distinct block.
      const blocks = [...new Set(finalized.map((e) => e.blockNumber))];
      const times = new Map(
        await Promise.all(
          blocks.map(
            async (blockNumber) => [blockNumber, Number((await getBlock(r, { blockNumber })).timestamp)] as const,
          ),
        ),
      );
      return {
        record,
        unbondingDelay: Number(delay),
        stakingToken: { address: stakingToken, balance, allowance },
        tierMinimums: minimums,
        offers,
        earnings: finalized.map((e) => ({
          jobId: e.args.jobId,
          amount: e.args.providerAmount,
          tokens: e.args.tokenCount,
          block: e.blockNumber,
          at: times.get(e.blockNumber) ?? 0,
        })),
        slashes: slashes.map((e) => ({ jobId: e.args.jobId, amount: e.args.amount })),
      };
    },
    enabled: !!reader && !!provider && !!paymentToken,
    refetchInterval: 10_000,
  });
}

export type ProviderAction =
  | { kind: "register"; tier: number }
  | { kind: "stake"; amount: bigint }
  | { kind: "requestUnbond"; amount: bigint }
  | { kind: "withdraw" }
  | { kind: "setAccepting"; accepting: boolean }
  | { kind: "setTier"; tier: number }
  | {
      kind: "setOffer";
      modelId: Hex;
      paymentToken: Address;
      pricePerToken: bigint;
      maxContext: number;
      /** Jobs at once; the standing offer's (or 1) when omitted. */
      capacity?: number;
    }
  | { kind: "removeOffer"; modelId: Hex; paymentToken: Address };

export function useProviderAction() {
  const { market, wallet } = useOcto();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action: ProviderAction) => {
      if (wallet.kind !== "ready") throw new Error("connect a wallet on this market's network first");
      const client = wallet.client;
      const staking = market.deployments.contracts.StakingRegistry.address;
      const call = (
        functionName: string,
        args: readonly unknown[],
        address: Address = staking,
        abi: typeof stakingRegistryAbi | typeof erc20Abi = stakingRegistryAbi,
      ) => sendContract(client, { account: wallet.address, address, abi, functionName, args });
      switch (action.kind) {
        case "register": {
          const { publicKey } = await deriveEncryptionKey({
            signMessage: ({ message }) => signMessageWith(client, wallet.address, message),
          });
          await call("register", [action.tier, bytesToHex(publicKey), ""]);
          return call("setAccepting", [true]);
        }
        case "stake": {
          const token = await readContract(client, {
            address: staking,
            abi: stakingRegistryAbi,
            functionName: "stakingToken",
          });
          const allowance = await readContract(client, {
            address: token,
            abi: erc20Abi,
            functionName: "allowance",
            args: [wallet.address, staking],
          });
          if (allowance < action.amount) await call("approve", [staking, action.amount], token, erc20Abi);
          return call("stake", [action.amount]);
        }
        case "requestUnbond":
          return call("requestUnbond", [action.amount]);
        case "withdraw":
          return call("withdraw", []);
        case "setAccepting":
          return call("setAccepting", [action.accepting]);
        case "setTier":
          return call("setTier", [action.tier]);
        case "setOffer": {
          // The determinism class is the worker's to declare (`octo-worker offer` reads it from the running engine);
          // the dashboard keeps the one on-chain, and the capacity unless one is given.
          const read = { address: staking, abi: stakingRegistryAbi } as const;
          const [current, determinismClass] = await Promise.all([
            readContract(client, {
              ...read,
              functionName: "getOffer",
              args: [wallet.address, action.modelId, action.paymentToken],
            }),
            readContract(client, { ...read, functionName: "classOf", args: [wallet.address, action.modelId] }),
          ]);
          const capacity = action.capacity ?? (current.active ? current.capacity : 1);
          return call("setOffer", [
            action.modelId,
            action.paymentToken,
            action.pricePerToken,
            action.maxContext,
            capacity,
            determinismClass,
          ]);
        }
        case "removeOffer":
          return call("removeOffer", [action.modelId, action.paymentToken]);
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["octo", market.chainId] }),
  });
}

function signMessageWith(client: OctoClient, account: Address, message: string): Promise<Hex> {
  return signMessage(client, { account, message });
}
