"use client";
// The wallet kit itself, in its own chunk (WalletKit.tsx loads it): RainbowKit's provider, its connect button, and
// its connect modal opened for each request made before or after it loaded.
import { ConnectButton, RainbowKitProvider, useConnectModal } from "@rainbow-me/rainbowkit";
import { useEffect, useRef } from "react";

export default function WalletKitLayer({ openRequests }: { openRequests: number }) {
  return (
    <RainbowKitProvider>
      <ConnectButton showBalance={false} />
      <OpenOnRequest openRequests={openRequests} />
    </RainbowKitProvider>
  );
}

function OpenOnRequest({ openRequests }: { openRequests: number }) {
  const { openConnectModal } = useConnectModal();
  const handled = useRef(0);
  useEffect(() => {
    if (openRequests > handled.current && openConnectModal) {
      handled.current = openRequests;
      openConnectModal();
    }
  }, [openRequests, openConnectModal]);
  return null;
}
