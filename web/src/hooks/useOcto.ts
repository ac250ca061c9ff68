"use client";
// The one place a component gets its Octo clients from: the market of the chain in use, a read client for it, and a
// wallet client when a wallet is connected to that chain, with the reason when it is not (no wallet, wrong network).
// Both are plain viem clients (wagmi's useClient and useConnectorClient), not usePublicClient / useWalletClient: those
// extend the client with every public or wallet action (ENS, CCIP, EIP-5792 calls, signature checks…), which would all
// ship with every page, while the sdk and the app call viem's tree-shakable actions (`readContract(client, …)`).
import { useMemo } from "react";
import type { Address } from "viem";
import { useAccount, useClient, useConnectorClient } from "wagmi";
import type { OctoClient } from "@octo/sdk";
import type { Market } from "../config/appConfig.ts";
import { useAppConfig } from "./useAppConfig.tsx";

export type WalletState =
  | { kind: "disconnected" }
  | { kind: "wrongNetwork"; connectedChainId: number; market: Market }
  | { kind: "connecting" }
  | { kind: "ready"; address: Address; client: OctoClient };

export type UseOctoReturnType = { market: Market; reader: OctoClient | undefined; wallet: WalletState };

export function useOcto(): UseOctoReturnType {
  const { markets } = useAppConfig();
  const account = useAccount();
  // The connected chain's market when it has one; otherwise the first (the app's home chain).
  const market = markets.find((m) => m.chainId === account.chainId) ?? markets[0]!;
  const reader = useClient({ chainId: market.chainId });
  const walletClient = useConnectorClient({ chainId: market.chainId });
  const wallet = useMemo<WalletState>(() => {
    if (!account.isConnected || !account.address)
      return account.isConnecting || account.isReconnecting ? { kind: "connecting" } : { kind: "disconnected" };
    if (account.chainId !== market.chainId)
      return { kind: "wrongNetwork", connectedChainId: account.chainId ?? 0, market };
    if (!walletClient.data) return { kind: "connecting" };
    return {
      kind: "ready",
      address: account.address,
      client: walletClient.data as OctoClient,
    };
  }, [
    account.isConnected,
    account.isConnecting,
    account.isReconnecting,
    account.address,
    account.chainId,
    market,
    walletClient.data,
  ]);
  return { market, reader: reader as OctoClient | undefined, wallet };
}
