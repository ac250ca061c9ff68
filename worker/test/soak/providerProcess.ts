// One provider of the soak: registered and staked on the devnet, its worker run as its own process (the CLI, as a
// provider runs it) with its own config, store and key, so that a SIGKILL is a real one and a restart reads the store
// the killed life left.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Devnet } from "@octo/devnet";
import type { ConfigInput } from "../../src/config/configSchema.ts";
import { deriveEncryptionKey } from "../../src/daemon/deriveEncryptionKey.ts";

const cli = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export type ProviderProcess = {
  name: string;
  address: Hex;
  tier: number;
  /** Starts a life of the worker; resolves once it takes jobs. */
  start(): Promise<void>;
  /** SIGKILL, and waits for the process to be gone. */
  kill(): Promise<void>;
  /** SIGKILLs the worker's engine process (its llama.cpp child); the worker stays up. Returns the pid killed. */
  crashEngine(): number;
  /** SIGTERM (a clean stop), and waits. */
  stop(): Promise<void>;
  /** Job steps logged by the current life. */
  steps(): number;
  /** Every line every life logged, for a failure report. */
  log: string[];
};

export type StartProviderParameters = {
  market: Devnet;
  name: string;
  key: Hex;
  tier: number;
  /** OCTO staked (whole tokens): at least the tier's minimum. */
  stake: bigint;
  pricePerToken: bigint;
  /** The URL the worker reaches the chain at (the soak's outage proxy). */
  rpcUrl: string;
  deploymentsPath: string;
  modelPath: string;
  dir: string;
  capacity: number;
};

export async function startProviderProcess(p: StartProviderParameters): Promise<ProviderProcess> {
  const account = privateKeyToAccount(p.key);
  const encryptionPublicKey = `0x${Buffer.from((await deriveEncryptionKey(account)).publicKey).toString("hex")}` as Hex;
  await p.market.registerProvider({
    account,
    encryptionPublicKey,
    pricePerToken: p.pricePerToken,
    maxContext: 512,
    stake: p.stake,
    tier: p.tier,
  });
  const dir = join(p.dir, p.name);
  mkdirSync(dir, { recursive: true });
  const keyEnv = `OCTO_SOAK_${p.name.toUpperCase()}_KEY`;
  const config: ConfigInput = {
    chainId: p.market.chainId,
    rpcUrls: [p.rpcUrl],
    deployments: p.deploymentsPath,
    key: { env: keyEnv },
    confirmations: 0,
    pollIntervalMs: 200,
    dataDir: join(dir, "data"),
    capacity: p.capacity,
    models: [
      {
        modelId: p.market.modelId!,
        paymentToken: p.market.contracts.MockUSDC.address,
        engine: { kind: "llamaCpp", modelPath: p.modelPath, threads: 1, contextSize: 512, gpuLayers: 0 },
        pricePerToken: p.pricePerToken.toString(),
        maxContext: 512,
      },
    ],
    ops: { host: "127.0.0.1", port: 0 },
    stream: { host: "127.0.0.1", port: 0 },
    fees: { maxFeePerGasGwei: 500, maxPriorityFeePerGasGwei: 50, replaceAfterMs: 5_000, receiptTimeoutMs: 60_000 },
    logLevel: "debug",
  };
  const configPath = join(dir, "config.json");
  writeFileSync(configPath, JSON.stringify(config, null, 2));

  const log: string[] = [];
  let child: ChildProcess | undefined;
  let steps = 0;
  let life = 0;
  const gone = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
  const end = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || gone(c)) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill(signal);
    await exited;
  };

  return {
    name: p.name,
    address: account.address,
    tier: p.tier,
    log,
    steps: () => steps,
    start() {
      life++;
      const proc = spawn(process.execPath, [cli, "-c", configPath, "start"], {
        env: { ...process.env, [keyEnv]: p.key, OCTO_LOG_LEVEL: "debug" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = proc;
      steps = 0;
      const tag = `[${p.name} life ${life}]`;
      createInterface({ input: proc.stderr! }).on("line", (line) => log.push(`${tag} stderr ${line}`));
      return new Promise<void>((resolve, reject) => {
        createInterface({ input: proc.stdout! }).on("line", (line) => {
          log.push(`${tag} ${line}`);
          if (log.length > 20_000) log.shift();
          if (line.includes('"msg":"worker started"')) resolve();
          if (line.includes('"msg":"job step"')) steps++;
        });
        proc.once("exit", (code, signal) =>
          reject(new Error(`${p.name} (life ${life}) ended before it started (code ${code}, signal ${signal})`)),
        );
      });
    },
    kill: () => end("SIGKILL"),
    stop: () => end("SIGTERM"),
    crashEngine() {
      if (!child?.pid || gone(child)) throw new Error(`${p.name} is not running`);
      const engines = childPids(child.pid).filter((pid) => commandLine(pid).includes("llamaCppChild"));
      if (engines.length === 0) throw new Error(`${p.name} has no engine process`);
      for (const pid of engines) process.kill(pid, "SIGKILL");
      return engines[0]!;
    },
  };
}

/** The direct children of a process (Linux /proc): the worker's engine and its prover. */
function childPids(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
  );
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return ""; // gone already
  }
}
