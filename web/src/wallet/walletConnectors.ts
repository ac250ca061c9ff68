// RainbowKit's connectorsForWallets for the wallets this app lists (injected wallets and the local chain's dev
// accounts; no WalletConnect): each wallet's connector with the details RainbowKit's modal reads (`rkDetails`).
// RainbowKit's own function lives in its main module, with the modal, its i18n and its QR code: importing it here
// would put the whole kit into every page's first load, while the kit itself is only needed once the person connects
// (WalletKit.tsx loads it then).
import type { Wallet, WalletDetailsParams, WalletList } from "@rainbow-me/rainbowkit";
import type { CreateConnectorFn } from "wagmi";

export function walletConnectors(groups: WalletList, { appName }: { appName: string }): CreateConnectorFn[] {
  let index = -1;
  return groups.flatMap(({ groupName, wallets }, groupIndex) =>
    wallets.map((createWallet) => {
      index++;
      // projectId is read by WalletConnect-based wallets only, which this app does not list.
      const { createConnector, hidden: _hidden, ...meta }: Wallet = createWallet({ projectId: "", appName });
      const rkDetails: WalletDetailsParams["rkDetails"] = {
        ...meta,
        groupIndex: groupIndex + 1,
        groupName,
        index,
        isRainbowKitConnector: true,
      };
      return createConnector({ rkDetails: withoutUndefined(rkDetails) });
    }),
  );
}

/** As RainbowKit passes them: a detail left undefined is absent, not set to undefined over the connector's own. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
