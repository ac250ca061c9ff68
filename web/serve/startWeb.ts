// Builds the app when its production build is missing or older than its sources, then serves it with `next start`
// against the market named by a deployments file. Node only. `scripts/start.ts` serves the app this way next to the
// local market; the end-to-end tests and the benchmark do too.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ROLES, freePort } from "@octo/devnet";
import { buildWeb } from "./buildWeb.ts";
import { readFileSync } from "node:fs";

export type DevAccount = { label: string; address: Address };

export type StartWebParameters = {
  /** The deployments file(s) of the markets to serve (the first is the app's home chain). */
  deploymentsPath: string | readonly string[];
  /** The RPC URL of the first market's chain, as the browser reaches it. */
  rpcUrl: string;
  /** A free one when omitted. */
  port?: number | undefined;
  host?: string | undefined;
  /** Each provider's live-output endpoint (a worker's `stream.url`), by address. */
  streamUrls?: Readonly<Record<string, string>> | undefined;
  /** Accounts offered as wallets that the local chain signs for; the devnet's user and providers by default on chain
   *  31337, none elsewhere. */
  devAccounts?: readonly DevAccount[] | undefined;
  /** The market indexer's root URL (`startIndexer(…).url`), for the explorer pages. */
  indexerUrl?: string | undefined;
  /** "ifNeeded" (default) builds when the build is missing or stale; "never" fails without a build. */
  build?: "ifNeeded" | "always" | "never" | undefined;
  /** Where `next build` and `next start` write their output (default: inherited stderr for the build, quiet serve). */
  onOutput?: ((line: string) => void) | undefined;
};

export type StartWebReturnType = { url: string; stop(): Promise<void> };

const webRoot = new URL("..", import.meta.url).pathname;
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");

/** The devnet's well-known accounts (anvil signs for them): the user who pays, the provider `npm start` runs, and a
 *  spare account to register as a new provider from the dashboard. */
export function localDevAccounts(): DevAccount[] {
  return [
    { label: "Dev user (anvil #1)", address: privateKeyToAccount(DEV_ROLES.user).address },
    { label: "Dev provider, running worker (anvil #2)", address: privateKeyToAccount(DEV_ROLES.provider).address },
    {
      label: "Dev spare account, new provider (anvil #3)",
      address: privateKeyToAccount(DEV_ROLES.validators[0]).address,
    },
  ];
}

export async function startWeb(parameters: StartWebParameters): Promise<StartWebReturnType> {
  const paths =
    typeof parameters.deploymentsPath === "string" ? [parameters.deploymentsPath] : [...parameters.deploymentsPath];
  const chainId = (JSON.parse(readFileSync(paths[0]!, "utf8")) as { chainId: number }).chainId;
  await buildWeb({ mode: parameters.build ?? "ifNeeded", onOutput: parameters.onOutput });
  const host = parameters.host ?? "127.0.0.1";
  const port = parameters.port ?? (await freePort());
  const devAccounts = parameters.devAccounts ?? (chainId === 31337 ? localDevAccounts() : []);
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    OCTO_DEPLOYMENTS: paths.join(","),
    OCTO_RPC_URL: parameters.rpcUrl,
    OCTO_STREAM_URLS: JSON.stringify(parameters.streamUrls ?? {}),
    OCTO_DEV_ACCOUNTS: JSON.stringify(devAccounts),
    ...(parameters.indexerUrl ? { OCTO_INDEXER_URL: parameters.indexerUrl } : {}),
  };
  const child = spawn(process.execPath, [nextBin, "start", "--port", String(port), "--hostname", host], {
    cwd: webRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const line of chunk.toString().split("\n").filter(Boolean)) parameters.onOutput?.(line);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const url = `http://${host}:${port}`;
  try {
    await waitUntilServing(url, child, () => output);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, stop: () => stopChild(child) };
}

/** Polls the home page until it answers 200; the layout reads the config, so a bad config fails here, not later. */
async function waitUntilServing(url: string, child: ChildProcess, output: () => string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
      if (response.status >= 500)
        throw new Error(`the app answered ${response.status}:\n${output()}\n${await response.text()}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("the app answered")) throw error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer at ${url} within ${timeoutMs / 1000} s:\n${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
