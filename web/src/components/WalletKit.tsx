"use client";
// RainbowKit (the wallet kit: its connect modal, account and network buttons) is loaded when a page needs it: when the
// person asks to connect, or when a wallet is connected already (reconnecting after a reload). A visitor who only
// reads a job never downloads it. Until then the header shows a plain "Connect Wallet" button that loads the kit and
// opens its modal. wagmi itself (the connectors, the chain) is there from the first render.
import { createContext, lazy, Suspense, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { useAccount } from "wagmi";

const WalletKitLayer = lazy(() => import("./WalletKitLayer.tsx"));

type WalletKit = { loaded: boolean; openRequests: number; openConnectModal: () => void };
const Context = createContext<WalletKit | undefined>(undefined);

export function WalletKitProvider({ children }: { children: ReactNode }) {
  const [openRequests, setOpenRequests] = useState(0);
  const openConnectModal = useCallback(() => setOpenRequests((n) => n + 1), []);
  const { status } = useAccount();
  const [loaded, setLoaded] = useState(false);
  // Once loaded it stays: disconnecting should not unmount the kit's buttons and modals.
  useEffect(() => {
    if (openRequests > 0 || status === "connected" || status === "reconnecting") setLoaded(true);
  }, [openRequests, status]);
  return <Context.Provider value={{ loaded, openRequests, openConnectModal }}>{children}</Context.Provider>;
}

export function useWalletKit(): WalletKit {
  const kit = useContext(Context);
  if (!kit) throw new Error("useWalletKit outside WalletKitProvider");
  return kit;
}

/** The header's wallet button: RainbowKit's once loaded, a plain one that loads it before. */
export function WalletButton() {
  const { loaded, openRequests, openConnectModal } = useWalletKit();
  const placeholder = (
    <button type="button" className="connect" onClick={openConnectModal} disabled={openRequests > 0}>
      Connect Wallet
    </button>
  );
  if (!loaded) return placeholder;
  return (
    <Suspense fallback={placeholder}>
      <WalletKitLayer openRequests={openRequests} />
    </Suspense>
  );
}
