"use client";
// Everything a page needs around it: the app config from the server, wagmi, react-query and the wallet kit (RainbowKit,
// loaded when needed: WalletKit.tsx).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { WagmiProvider } from "wagmi";
import { hashFn } from "wagmi/query";
import type { AppConfig, Market } from "../config/appConfig.ts";
import { createWagmiConfig } from "../wallet/createWagmiConfig.ts";
import { AppConfigProvider } from "../hooks/useAppConfig.tsx";
import { WalletKitProvider } from "./WalletKit.tsx";

export function Providers({
  config,
  markets,
  children,
}: {
  config: AppConfig;
  markets: Market[];
  children: ReactNode;
}) {
  const [wagmiConfig] = useState(() => createWagmiConfig(config));
  // Query keys hold bigints (job ids, prices): wagmi's hashFn serializes them.
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { queryKeyHashFn: hashFn, retry: 1, refetchOnWindowFocus: false } },
      }),
  );
  return (
    <AppConfigProvider config={config} markets={markets}>
      <WagmiProvider config={wagmiConfig}>
        <QueryClientProvider client={queryClient}>
          <WalletKitProvider>{children}</WalletKitProvider>
        </QueryClientProvider>
      </WagmiProvider>
    </AppConfigProvider>
  );
}
