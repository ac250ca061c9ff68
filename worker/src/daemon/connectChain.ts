// The chain side of every worker command: a client over the configured RPC URLs (failover), checked to be on the
// configured chain, and the one sender for the provider's key with the configured fee caps.
import { createClient, defineChain, type Client, type LocalAccount } from "viem";
import { getChainId } from "viem/actions";
import type { Config } from "../config/configSchema.ts";
import { BaseError } from "../errors/BaseError.ts";
import { createSender, type CreateSenderParameters } from "../sender/createSender.ts";
import type { Store } from "../store/openStore.ts";
import { failoverTransport } from "../watch/failoverTransport.ts";

export class WrongNetworkError extends BaseError {
  override name = "WrongNetworkError";
}

export function createChainClient(config: Config, pollingInterval = config.pollIntervalMs): Client {
  const chain = defineChain({
    id: config.chainId,
    name: `chain-${config.chainId}`,
    nativeCurrency: { name: "POL", symbol: "POL", decimals: 18 },
    rpcUrls: { default: { http: config.rpcUrls } },
  });
  return createClient({ chain, transport: failoverTransport(config.rpcUrls), pollingInterval });
}

/** Throws WrongNetworkError when the RPC node serves another chain than the config names. */
export async function assertChain(client: Client, config: Config): Promise<void> {
  const onChainId = await getChainId(client);
  if (onChainId !== config.chainId)
    throw new WrongNetworkError(
      `rpcUrls: the node is on chain ${onChainId}, the config says chainId ${config.chainId} — fix rpcUrls or chainId`,
    );
}

export function createConfiguredSender(
  { config, client, account, store }: { config: Config; client: Client; account: LocalAccount; store: Store },
  extra: Pick<CreateSenderParameters, "logger" | "onSent" | "onMined" | "pollIntervalMs" | "onStep"> = {},
) {
  return createSender({
    client: client as CreateSenderParameters["client"],
    account,
    store,
    maxFeePerGas: BigInt(Math.round(config.fees.maxFeePerGasGwei * 1e9)),
    maxPriorityFeePerGas: BigInt(Math.round(config.fees.maxPriorityFeePerGasGwei * 1e9)),
    replaceAfterMs: config.fees.replaceAfterMs,
    // A nonce gap is as much a stuck transaction as one priced too low: repaired on the same clock.
    gapRepairAfterMs: Math.min(10_000, config.fees.replaceAfterMs),
    receiptTimeoutMs: config.fees.receiptTimeoutMs,
    pollIntervalMs: Math.min(1000, config.pollIntervalMs),
    ...extra,
  });
}
