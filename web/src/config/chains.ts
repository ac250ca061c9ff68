// The one chain config: the local chain (anvil/hardhat, 31337), Polygon Amoy and Polygon PoS, with the RPC URL the
// server named for each. The chains with a market come first (the first is where the app starts).
import { defineChain, type Chain } from "viem";
import { foundry, polygon, polygonAmoy } from "viem/chains";
import type { AppConfig } from "./appConfig.ts";

/** The local chain, with the app's icon for RainbowKit's network button (viem's foundry chain has none). */
export const localChain: Chain = {
  ...defineChain({ ...foundry, name: "Local chain" }),
  iconUrl: "/icon.svg",
  iconBackground: "#ffffff",
} as Chain;
export const knownChains: readonly Chain[] = [localChain, polygonAmoy, polygon];

export function chainsFor(config: AppConfig): [Chain, ...Chain[]] {
  const withRpc = (chain: Chain): Chain => {
    const url = config.rpcUrls[String(chain.id)];
    return url ? { ...chain, rpcUrls: { default: { http: [url] } } } : chain;
  };
  const marketIds = config.markets.map((m) => m.chainId);
  const ordered = [...knownChains].sort((a, b) => rank(a.id) - rank(b.id));
  function rank(id: number) {
    const i = marketIds.indexOf(id);
    return i < 0 ? marketIds.length : i;
  }
  const [first, ...rest] = ordered.map(withRpc);
  return [first!, ...rest];
}
