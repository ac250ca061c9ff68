// The wagmi config for the app: the chains of chains.ts over plain HTTP, and the wallets RainbowKit lists: any
// injected browser wallet, plus the local chain's dev accounts when the server names them. No WalletConnect: it needs
// a relay the app cannot assume (offline machines, a project id); injected wallets cover MetaMask, Rabby, Coinbase's
// extension and the like.
import { injectedWallet } from "@rainbow-me/rainbowkit/wallets";
import { createConfig, http, type Config } from "wagmi";
import type { AppConfig } from "../config/appConfig.ts";
import { chainsFor } from "../config/chains.ts";
import { devWallet } from "./devWallet.ts";
import { walletConnectors } from "./walletConnectors.ts";

export function createWagmiConfig(appConfig: AppConfig): Config {
  const chains = chainsFor(appConfig);
  const groups = [{ groupName: "Browser wallet", wallets: [injectedWallet] }];
  if (appConfig.devAccounts.length > 0)
    groups.push({ groupName: "Local chain dev accounts", wallets: appConfig.devAccounts.map(devWallet) });
  const connectors = walletConnectors(groups, { appName: "Octo" });
  return createConfig({
    chains,
    connectors,
    transports: Object.fromEntries(chains.map((c) => [c.id, http(c.rpcUrls.default.http[0])])),
    ssr: true,
    pollingInterval: 500,
  });
}
