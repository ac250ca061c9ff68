"use client";
// The connected account's prepaid balance in the market (deposits not yet spent, refunds of balance-paid jobs, a
// provider's earnings) and the two writes to it. The read is the sdk's getBalance; deposit and withdraw load with
// their own chunk (loadSdkBalance). Every write refetches the chain's queries, so the pay form sees the new balance.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Address } from "viem";
import { getBalance } from "@octo/sdk";
import { loadSdkBalance } from "../lib/loadSdkBalance.ts";
import { useOcto } from "./useOcto.ts";

export function useMarketBalance(token: Address | undefined) {
  const { market, reader, wallet } = useOcto();
  const account = wallet.kind === "ready" ? wallet.address : undefined;
  return useQuery({
    queryKey: ["octo", market.chainId, "marketBalance", token, account],
    queryFn: () => getBalance(reader!, { deployments: market.deployments, token: token!, account: account! }),
    enabled: !!reader && !!token && !!account,
  });
}

export type BalanceTransfer = { token: Address; amount: bigint };

export function useDeposit() {
  return useBalanceWrite(async (client, deployments, { token, amount, payment }: DepositRequest) => {
    const { deposit } = await loadSdkBalance();
    return deposit(client, { deployments, token, amount, payment });
  });
}
export type DepositRequest = BalanceTransfer & { payment: "approve" | "permit" };

export function useWithdraw() {
  return useBalanceWrite(async (client, deployments, { token, amount }: BalanceTransfer) => {
    const { withdraw } = await loadSdkBalance();
    return withdraw(client, { deployments, token, amount });
  });
}

type Ready = Extract<ReturnType<typeof useOcto>["wallet"], { kind: "ready" }>;
function useBalanceWrite<request>(
  write: (
    client: Ready["client"],
    deployments: ReturnType<typeof useOcto>["market"]["deployments"],
    request: request,
  ) => Promise<unknown>,
) {
  const { market, wallet } = useOcto();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: request) => {
      if (wallet.kind !== "ready") throw new Error("connect a wallet on this market's network first");
      await write(wallet.client, market.deployments, request);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["octo", market.chainId] }),
  });
}
