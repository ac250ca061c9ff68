// The server's side of the app config: environment variables and the deployments files they name. Server only (it
// reads files); startWeb sets these for `next start`.
//   OCTO_DEPLOYMENTS   deployments file(s), comma-separated (written by `devnet.writeDeployments` or scripts/deploy.ts)
//   OCTO_RPC_URL       the RPC URL of the first market's chain (OCTO_RPC_URL_<chainId> for any other)
//   OCTO_STREAM_URLS   JSON {"<provider address>": "<stream url>"}
//   OCTO_DEV_ACCOUNTS  JSON [{"label": "…", "address": "0x…"}], local chain only
//   OCTO_INDEXER_URL   the market indexer's root URL (@octo/indexer), read by the explorer pages
import { readFileSync } from "node:fs";
import { appConfigSchema, type AppConfig } from "./appConfig.ts";

export class AppConfigError extends Error {
  override name = "AppConfigError";
}

export function readAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const paths = (env.OCTO_DEPLOYMENTS ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (paths.length === 0)
    throw new AppConfigError(
      "OCTO_DEPLOYMENTS is not set: name the market's deployments file (deployments/<chainId>.json)",
    );
  const markets = paths.map((path) => {
    try {
      return JSON.parse(readFileSync(path, "utf8")) as unknown;
    } catch (cause) {
      throw new AppConfigError(
        `cannot read the deployments file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      );
    }
  });
  const rpcUrls: Record<string, string> = {};
  markets.forEach((m, i) => {
    const chainId = String((m as { chainId?: unknown }).chainId);
    const url = env[`OCTO_RPC_URL_${chainId}`] ?? (i === 0 ? env.OCTO_RPC_URL : undefined);
    if (url) rpcUrls[chainId] = url;
  });
  const json = (name: string, fallback: unknown) => {
    const raw = env[name];
    if (!raw) return fallback;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new AppConfigError(`${name} is not JSON`);
    }
  };
  const parsed = appConfigSchema.safeParse({
    markets,
    rpcUrls,
    streamUrls: json("OCTO_STREAM_URLS", {}),
    devAccounts: json("OCTO_DEV_ACCOUNTS", []),
    ...(env.OCTO_INDEXER_URL ? { indexerUrl: env.OCTO_INDEXER_URL.replace(/\/+$/, "") } : {}),
  });
  if (!parsed.success) throw new AppConfigError(`invalid app config: ${parsed.error.message}`);
  const streamUrls = Object.fromEntries(Object.entries(parsed.data.streamUrls).map(([k, v]) => [k.toLowerCase(), v]));
  return { ...parsed.data, streamUrls };
}
