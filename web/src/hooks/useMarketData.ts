"use client";
// Reads of the market for the job page, each a react-query query over one sdk action (or one contract read with the
// sdk's ABI), keyed by chain so that a network switch refetches.
import { useQuery } from "@tanstack/react-query";
import { erc20Abi, type Address, type Hex } from "viem";
import { readContract } from "viem/actions";
import { jobMarketAbi, listModels, listOffers, quoteJob } from "@octo/sdk";
import { supportsPermit } from "../lib/permitSupport.ts";
import { useOcto } from "./useOcto.ts";

export function useModels() {
  const { market, reader } = useOcto();
  return useQuery({
    queryKey: ["octo", market.chainId, "models"],
    queryFn: () => listModels(reader!, { deployments: market.deployments }),
    enabled: !!reader,
  });
}

export function useOffers(modelId: Hex | undefined, paymentToken: Address | undefined) {
  const { market, reader } = useOcto();
  return useQuery({
    queryKey: ["octo", market.chainId, "offers", modelId, paymentToken],
    queryFn: () =>
      listOffers(reader!, { deployments: market.deployments, modelId: modelId!, paymentToken: paymentToken! }),
    enabled: !!reader && !!modelId && !!paymentToken,
    refetchInterval: 15_000,
  });
}

export function useQuote(maxOutputTokens: number, maxPricePerToken: bigint | undefined) {
  const { market, reader } = useOcto();
  return useQuery({
    queryKey: ["octo", market.chainId, "quote", maxOutputTokens, maxPricePerToken],
    queryFn: () =>
      quoteJob(reader!, { deployments: market.deployments, maxOutputTokens, maxPricePerToken: maxPricePerToken! }),
    enabled: !!reader && maxPricePerToken !== undefined && maxOutputTokens > 0,
  });
}

/** The market's governance parameters: fee, windows, and the collateral a provider locks per job. */
export function useMarketParameters() {
  const { market, reader } = useOcto();
  return useQuery({
    queryKey: ["octo", market.chainId, "parameters"],
    queryFn: async () => {
      const [feeBps, challengeWindow, disputeWindow, keyDeliveryWindow, , collateral] = await readContract(reader!, {
        address: market.deployments.contracts.JobMarket.address,
        abi: jobMarketAbi,
        functionName: "parameters",
      });
      return { feeBps, challengeWindow, disputeWindow, keyDeliveryWindow, collateral };
    },
    enabled: !!reader,
  });
}

/** The payment token of this market (the local chain's MockUSDC, or the network's USDC) with its symbol and decimals. */
export function usePaymentToken() {
  const { market, reader } = useOcto();
  const address = (market.deployments.contracts.USDC ?? market.deployments.contracts.MockUSDC)?.address;
  return useQuery({
    queryKey: ["octo", market.chainId, "paymentToken", address],
    queryFn: () => tokenInfo(reader!, address!),
    enabled: !!reader && !!address,
    staleTime: Infinity,
  });
}

/** Whether the payment token takes an EIP-2612 permit (asked of the token once per chain). */
export function usePermitSupport(token: Address | undefined) {
  const { market, reader } = useOcto();
  return useQuery({
    queryKey: ["octo", market.chainId, "permitSupport", token],
    queryFn: () => supportsPermit(reader!, token!),
    enabled: !!reader && !!token,
    staleTime: Infinity,
  });
}

export async function tokenInfo(reader: NonNullable<ReturnType<typeof useOcto>["reader"]>, address: Address) {
  const [symbol, decimals] = await Promise.all([
    readContract(reader, { address, abi: erc20Abi, functionName: "symbol" }),
    readContract(reader, { address, abi: erc20Abi, functionName: "decimals" }),
  ]);
  return { address, symbol, decimals };
}

/** An account's balance of a token and what `spender` may spend of it. */
export function useTokenHoldings(token: Address | undefined, owner: Address | undefined, spender: Address) {
  const { market, reader } = useOcto();
  return useQuery({
    queryKey: ["octo", market.chainId, "holdings", token, owner, spender],
    queryFn: async () => {
      const [balance, allowance] = await Promise.all([
        readContract(reader!, { address: token!, abi: erc20Abi, functionName: "balanceOf", args: [owner!] }),
        readContract(reader!, { address: token!, abi: erc20Abi, functionName: "allowance", args: [owner!, spender] }),
      ]);
      return { balance, allowance };
    },
    enabled: !!reader && !!token && !!owner,
  });
}
