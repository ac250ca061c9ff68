// What the server tells the browser about the markets it serves, read when a page is served (not at build time), so
// one production build serves the local chain, Amoy or Polygon. zod checks it at both ends of the hop.
import { z } from "zod";
import { deploymentsSchema, parseDeployments, type Deployments } from "@octo/sdk";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/) as unknown as z.ZodType<`0x${string}`>;

export const appConfigSchema = z.strictObject({
  /** One deployments file per chain the app serves (`parseDeployments` in @octo/sdk reads each). */
  markets: z.array(deploymentsSchema).min(1),
  /** RPC URL by chain id; chains without one use their public default. */
  rpcUrls: z.record(z.string(), z.string().url()),
  /** Each provider's live-output endpoint by lowercase address (the registry does not publish it yet). */
  streamUrls: z.record(z.string(), z.string().url()),
  /** Development accounts the local chain signs for (anvil): offered as wallets on the local chain only. */
  devAccounts: z.array(z.strictObject({ label: z.string(), address })),
  /** The market indexer's root URL (its `/sql` endpoint feeds the explorer); the explorer says so when absent. */
  indexerUrl: z.string().url().optional(),
});
export type AppConfig = z.infer<typeof appConfigSchema>;

export type Market = { deployments: Deployments; chainId: number };

/** The markets of a config, parsed into the sdk's form (addresses checksummed, blocks as bigint). */
export function marketsOf(config: AppConfig): Market[] {
  return config.markets.map((file) => {
    const deployments = parseDeployments(file);
    return { deployments, chainId: deployments.chainId };
  });
}
