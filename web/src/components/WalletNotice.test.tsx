// @vitest-environment happy-dom
// The wallet notice inside the app's real providers (wagmi, react-query, the wallet kit) with the app's real dev-account
// wallet (wagmi's mock connector): it keeps the chain id a wallet reports and switches it as a wallet would, so no
// chain needs to run. The RPC URL points nowhere; nothing here may need it.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { type ReactNode, useEffect } from "react";
import { polygonAmoy } from "viem/chains";
import { useAccount, useConnect, useConnectors } from "wagmi";
import { afterEach, describe, expect, it } from "vitest";
import { type AppConfig, marketsOf } from "../config/appConfig.ts";
import { useOcto } from "../hooks/useOcto.ts";
import { Providers } from "./Providers.tsx";
import { WalletNotice } from "./WalletNotice.tsx";

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const user = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const appConfig = (devAccounts: AppConfig["devAccounts"]): AppConfig => ({
  markets: [
    {
      chainId: 31337,
      contracts: {
        JobMarket: { address: "0x5fbdb2315678afecb367f032d93f642f64180aa3", deployedOnBlock: 1 },
        StakingRegistry: { address: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512", deployedOnBlock: 1 },
        ModelRegistry: { address: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0", deployedOnBlock: 1 },
      },
    },
  ],
  rpcUrls: { "31337": "http://127.0.0.1:9" },
  streamUrls: {},
  devAccounts,
});

/** Connects the dev wallet on `chainId`, as a person whose wallet is on that network would. */
function ConnectOn({ chainId }: { chainId: number }) {
  const connectors = useConnectors();
  const { connect } = useConnect();
  const dev = connectors.find((c) => c.type === "mock");
  useEffect(() => {
    if (dev) connect({ connector: dev, chainId });
  }, [dev, chainId, connect]);
  return null;
}

function ChainShown() {
  const { chainId, status } = useAccount();
  const { wallet } = useOcto();
  return (
    <p data-testid="account" data-wallet={wallet.kind}>
      {`${status} on ${chainId}`}
    </p>
  );
}

function renderWith(config: AppConfig, children: ReactNode) {
  return render(
    <Providers config={config} markets={marketsOf(config)}>
      {children}
    </Providers>,
  );
}

describe("WalletNotice", () => {
  it("a wallet on another network is told so and switched to the market's", async () => {
    renderWith(
      appConfig([{ label: "Dev user", address: user }]),
      <>
        <ConnectOn chainId={polygonAmoy.id} />
        <ChainShown />
        <WalletNotice purpose="pay for a job" />
      </>,
    );
    const notice = await screen.findByTestId("wrong-network");
    expect(notice.textContent).toContain("Your wallet is on Polygon Amoy; this market is on Local chain.");
    expect(screen.getByTestId("account").textContent).toBe(`connected on ${polygonAmoy.id}`);
    expect(screen.getByTestId("account").dataset.wallet).toBe("wrongNetwork");

    fireEvent.click(screen.getByRole("button", { name: "Switch to Local chain" }));
    await waitFor(() => expect(screen.getByTestId("account").textContent).toBe("connected on 31337"));
    // On the market's network the wallet is ready: nothing stands between the person and paying.
    await waitFor(() => expect(screen.getByTestId("account").dataset.wallet).toBe("ready"));
    expect(screen.queryByTestId("wrong-network")).toBeNull();
    expect(screen.queryByTestId("no-wallet")).toBeNull();
  });

  it("without a wallet it offers to connect, and says when the browser has none to offer", async () => {
    renderWith(appConfig([]), <WalletNotice purpose="pay for a job" />);
    const notice = await screen.findByTestId("no-wallet");
    expect(notice.textContent).toContain("Connect a wallet to pay for a job.");
    await waitFor(() => expect(notice.textContent).toContain("No browser wallet was found"));
    screen.getByRole("button", { name: "Connect a wallet" });
  });
});
