"use client";
// What stands between the person and a transaction: no wallet at all, no wallet connected, or a wallet on another
// network (with the switch offered).
import { useEffect, useState } from "react";
import { useSwitchChain } from "wagmi";
import { chainsFor } from "../config/chains.ts";
import { useAppConfig } from "../hooks/useAppConfig.tsx";
import { useOcto } from "../hooks/useOcto.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { useWalletKit } from "./WalletKit.tsx";

export function WalletNotice({ purpose }: { purpose: string }) {
  const { wallet, market } = useOcto();
  const { config } = useAppConfig();
  const { openConnectModal } = useWalletKit();
  const switchChain = useSwitchChain();
  const [hasInjected, setHasInjected] = useState(true);
  useEffect(() => setHasInjected(typeof window !== "undefined" && "ethereum" in window), []);
  const toMarket = () => switchChain.switchChain({ chainId: market.chainId });
  const chainName = (id: number) => chainsFor(config).find((c) => c.id === id)?.name ?? `chain ${id}`;

  if (wallet.kind === "ready" || wallet.kind === "connecting") return null;
  if (wallet.kind === "wrongNetwork")
    return (
      <div className="notice warn" role="alert" data-testid="wrong-network">
        <strong>Wrong network</strong>
        <p>
          Your wallet is on {chainName(wallet.connectedChainId)}; this market is on {chainName(market.chainId)}. Switch
          to {purpose}.
        </p>
        <button type="button" onClick={toMarket} disabled={switchChain.isPending}>
          Switch to {chainName(market.chainId)}
        </button>
        <ErrorNotice error={switchChain.error} onRetry={toMarket} />
      </div>
    );
  return (
    <div className="notice" data-testid="no-wallet">
      <strong>No wallet connected</strong>
      <p>
        Connect a wallet to {purpose}.{" "}
        {!hasInjected &&
          config.devAccounts.length === 0 &&
          "No browser wallet was found: install one (MetaMask, Rabby, …) and reload."}
      </p>
      <button type="button" onClick={openConnectModal}>
        Connect a wallet
      </button>
    </div>
  );
}
