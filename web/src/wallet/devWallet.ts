// A wallet entry for one development account on the local chain: wagmi's mock connector, which sends every request
// (transactions and personal_sign included) to the chain's RPC, where anvil signs for its well-known dev accounts.
// It is what `npm start` offers before a real wallet is set up, and what the end-to-end test connects with. On any
// other chain the RPC would refuse to sign, so the app offers it only when the server lists dev accounts.
import type { Wallet } from "@rainbow-me/rainbowkit";
// wagmi's own mock connector, from wagmi itself: "wagmi/connectors" is the barrel of every SDK-backed connector.
import { createConnector, mock } from "wagmi";
import type { Address } from "viem";

const ICON =
  "data:image/svg+xml;utf8," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 28 28"><rect width="28" height="28" rx="6" fill="#1f2937"/><text x="14" y="19" font-size="13" text-anchor="middle" fill="#fff" font-family="sans-serif">dev</text></svg>',
  );

/** Remembers across reloads that the person connected this dev account (the mock connector itself forgets). */
const storageKey = (address: Address) => `octo.devWallet.${address.toLowerCase()}`;

export function devWallet({ label, address }: { label: string; address: Address }): () => Wallet {
  return () => ({
    id: `octo-dev-${address.toLowerCase()}`,
    name: label,
    iconUrl: ICON,
    iconBackground: "#1f2937",
    installed: true,
    createConnector: (walletDetails) =>
      createConnector((config) => {
        const base = mock({ accounts: [address], features: { reconnect: true } })(config);
        // The mock's methods call `this.getProvider()`: each is called on the wrapper, so that they get its provider.
        const wrapper: typeof base = {
          ...base,
          ...walletDetails,
          // The mock forwards eth_accounts to the node, and anvil answers with all ten of its accounts: this wallet
          // holds one.
          async getProvider(parameters) {
            const provider = await base.getProvider(parameters);
            const request = (async (args: { method: string; params?: unknown }) =>
              args.method === "eth_accounts" ? [address] : provider.request(args as never)) as typeof provider.request;
            return { ...provider, request };
          },
          connect: async function (this: typeof base, parameters?: { chainId?: number | undefined }) {
            const result = await base.connect.call(this, parameters);
            localStorage.setItem(storageKey(address), "1");
            return result;
          } as typeof base.connect,
          async disconnect() {
            localStorage.removeItem(storageKey(address));
            await base.disconnect.call(this);
          },
          async isAuthorized() {
            if (localStorage.getItem(storageKey(address)) !== "1") return false;
            await base.connect.call(this);
            return true;
          },
        };
        // The wrapper is the mock's own connector type plus RainbowKit's details, which createConnector's inference
        // cannot follow through the mock's generic `connect`.
        return wrapper as never;
      }),
  });
}
