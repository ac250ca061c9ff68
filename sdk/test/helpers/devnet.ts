// One devnet per test file: the market, a listed model, and the user's sdk client.
import { createWalletClient, http, publicActions } from "viem";
import { foundry } from "viem/chains";
import { startDevnet, type Devnet } from "@octo/devnet";
import { octoActions } from "@octo/sdk";

export const MODEL = {
  name: "octo-test-model",
  weightsDigest: `0x${"11".repeat(32)}`,
  quantization: "f32",
  engine: "test",
} as const;

export async function startTestMarket() {
  const devnet = await startDevnet({ model: MODEL });
  const user = userClient(devnet);
  return { devnet, user };
}

export function userClient(devnet: Devnet, account = devnet.user) {
  return createWalletClient({ chain: foundry, transport: http(devnet.rpcUrl), account, pollingInterval: 100 })
    .extend(publicActions)
    .extend(octoActions({ deployments: devnet.deployments }));
}
