// A dry run of the production deploy: the same `hardhat run scripts/deploy.ts --network amoy|polygon`, with the same
// environment a deployer sets (RPC URL, DEPLOYER_PRIVATE_KEY, OCTO_IGNITION_PARAMETERS, the network's ceremony in
// place), pointed at a local anvil that forks the network's RPC. Every transaction runs for real, against the
// network's own state (its tokens, the deployer's balance and nonce), on a throwaway copy: nothing reaches the
// network, and it costs nothing. It prints what the deploy would create (each contract's name and address), how many
// transactions it would send, their gas and what they would cost at the fork's gas prices. The module's own checks run
// too, so a missing ceremony or a bad parameter fails here first. Ignition's journal and the deployments file go to
// throwaway places, never over a real deployment's.
//   AMOY_RPC_URL=… DEPLOYER_PRIVATE_KEY=… OCTO_IGNITION_PARAMETERS=… node scripts/deployDryRun.ts amoy
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createPublicClient, formatEther, http, type Address, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { startAnvil } from "@octo/devnet";
import { parseDeployments } from "@octo/sdk";
import { NETWORKS, type Network } from "./deployNetworks.ts";

const ROOT = resolve(import.meta.dirname, "..");

export type DeployDryRunParameters = {
  network: Network;
  /** The deployer's environment (default: this process's): the network's RPC URL, key and parameters. */
  env?: NodeJS.ProcessEnv;
  /** Compile first (default true: a new ceremony's verifier needs it). */
  compile?: boolean;
  log?: (line: string) => void;
};

export type DeployDryRunReturnType = {
  chainId: number;
  /** What the deploy would create, by the names of the deployments file, at the addresses it would get. */
  contracts: { name: string; address: Address }[];
  transactions: number;
  gas: bigint;
  /** Σ gas used × effective gas price on the fork, in wei of the network's native token. */
  costWei: bigint;
};

export async function deployDryRun({
  network,
  env = process.env,
  compile = true,
  log = console.log,
}: DeployDryRunParameters): Promise<DeployDryRunReturnType> {
  const rpcUrl = env[network.rpcEnv];
  if (!rpcUrl) throw new Error(`${network.rpcEnv} is not set: the dry run forks the network it names`);
  const key = env.DEPLOYER_PRIVATE_KEY as `0x${string}` | undefined;
  if (!key) throw new Error("DEPLOYER_PRIVATE_KEY is not set: the dry run deploys as the deployer would");
  const deployer = privateKeyToAccount(key).address;
  const chainId = network.chain.id;
  // One-second blocks: Ignition waits for confirmations on a public network, as it will on the real one.
  const fork = await startAnvil({ args: ["--fork-url", rpcUrl, "--chain-id", String(chainId), "--block-time", "1"] });
  const deploymentId = `dry-run-${chainId}`;
  const journal = join(ROOT, "ignition", "deployments", deploymentId);
  const deploymentsDir = mkdtempSync(join(tmpdir(), "octo-dry-run-"));
  rmSync(journal, { recursive: true, force: true });
  try {
    const client = createPublicClient({ chain: network.chain, transport: http(fork.url) });
    const forkedAt = await client.getBlockNumber();
    const nonceBefore = await client.getTransactionCount({ address: deployer });
    log(`${network.name} dry run: forked chain ${chainId} at block ${forkedAt}; deployer ${deployer}`);
    const run = spawnSync(
      "pnpm",
      ["exec", "hardhat", "run", ...(compile ? [] : ["--no-compile"]), "scripts/deploy.ts", "--network", network.name],
      {
        cwd: ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...env,
          [network.rpcEnv]: fork.url,
          OCTO_DEPLOYMENT_ID: deploymentId,
          OCTO_DEPLOYMENTS_DIR: deploymentsDir,
        },
      },
    );
    if (run.status !== 0)
      throw new Error(`${network.name} dry run: the deploy would fail:\n${run.stdout}${run.stderr}`);
    const deployments = parseDeployments(readFileSync(join(deploymentsDir, `${chainId}.json`), "utf8"), { chainId });
    const { gas, costWei } = await spentBy(client, deployer, forkedAt + 1n);
    const transactions = (await client.getTransactionCount({ address: deployer })) - nonceBefore;
    const contracts = Object.entries(deployments.contracts).flatMap(([name, d]) =>
      d ? [{ name, address: d.address }] : [],
    );
    for (const c of contracts) log(`  would deploy ${c.name.padEnd(16)} at ${c.address}`);
    log(
      `  ${transactions} transactions, ${gas} gas, ${formatEther(costWei)} of the native token at the fork's gas prices; ` +
        "nothing was sent to the network",
    );
    return { chainId, contracts, transactions, gas, costWei };
  } finally {
    await fork.stop();
    rmSync(journal, { recursive: true, force: true });
    rmSync(deploymentsDir, { recursive: true, force: true });
  }
}

/** Gas and cost (Σ gas used × effective gas price) of every transaction `from` sent since `fromBlock`. */
export async function spentBy(
  client: PublicClient,
  from: Address,
  fromBlock: bigint,
): Promise<{ gas: bigint; costWei: bigint }> {
  let gas = 0n;
  let costWei = 0n;
  const head = await client.getBlockNumber();
  for (let n = fromBlock; n <= head; n++) {
    const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.from.toLowerCase() !== from.toLowerCase()) continue;
      const receipt = await client.getTransactionReceipt({ hash: tx.hash });
      gas += receipt.gasUsed;
      costWei += receipt.gasUsed * receipt.effectiveGasPrice;
    }
  }
  return { gas, costWei };
}

if (import.meta.main) {
  const name = process.argv[2] as Network["name"] | undefined;
  const network = name ? NETWORKS[name] : undefined;
  if (!network) throw new Error("usage: node scripts/deployDryRun.ts amoy|polygon");
  await deployDryRun({ network });
}
