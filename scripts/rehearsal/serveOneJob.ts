// One job end to end against a rehearsed deployment, by the paths a provider and a user take on the real network: the
// provider with the worker's CLI (`octo-worker setup` registers, stakes and offers; `octo-worker start` serves, with
// the ceremony's final zkey as its proving key), the user with @octo/sdk (a named job, paid in the deployment's
// payment token, its result opened with the job secret). Every result's Groth16 proof is checked on chain by the
// deployed verifier, so a job that reaches Finalized is a job the ceremony's key proved. The market takes a job only
// from a provider whose determinism class has at least two other staked providers (its dispute committee): two
// validators are set up the same way, and only the named provider's worker runs.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import {
  createWalletClient,
  erc20Abi,
  http,
  maxUint256,
  publicActions,
  type Address,
  type Chain,
  type Hex,
  type TestClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { jobMarketAbi, octoActions, type Deployments } from "@octo/sdk";

const require = createRequire(import.meta.url);
// The worker's CLI, as its `octo-worker` bin runs it (src/cli/main.ts, next to the package's entry point).
const WORKER_CLI = join(dirname(require.resolve("@octo/worker")), "cli", "main.ts");
const MAX_TOKENS = 16;

export type ServeOneJobParameters = {
  chain: Chain;
  rpcUrl: string;
  testClient: TestClient;
  deploymentsPath: string;
  deployments: Deployments;
  modelId: Hex;
  modelPath: string;
  paymentToken: Address;
  /** The ceremony's final zkey: the worker proves with it and refuses to start unless it is the market's key. */
  zkey: string;
  providerKey: Hex;
  /** Providers of the same model and engine settings, staked so that the provider's committee can be drawn. */
  validatorKeys: Hex[];
  userKey: Hex;
  dir: string;
  /** Longest wait for each step (the machine may be loaded). */
  timeoutMs?: number;
  log?: (line: string) => void;
};
export type ServeOneJobReturnType = { jobId: bigint; status: string; text: string; provider: Address };

export async function serveOneJob(p: ServeOneJobParameters): Promise<ServeOneJobReturnType> {
  const { chain, rpcUrl, deployments, timeoutMs = 600_000, log = () => {} } = p;
  const provider = privateKeyToAccount(p.providerKey);
  const env = { ...process.env, OCTO_REHEARSAL_PROVIDER_KEY: p.providerKey };
  const configPath = setUpProvider(p, p.providerKey, join(p.dir, "provider"), timeoutMs, log);
  for (const [i, key] of p.validatorKeys.entries())
    setUpProvider(p, key, join(p.dir, `validator-${i + 1}`), timeoutMs, log);

  const worker = spawn(process.execPath, [WORKER_CLI, "-c", configPath, "start"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const workerLog: string[] = [];
  createInterface({ input: worker.stderr }).on("line", (l) => workerLog.push(`stderr ${l}`));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the worker did not start in time")), timeoutMs);
      createInterface({ input: worker.stdout }).on("line", (line) => {
        workerLog.push(line);
        if (line.includes('"msg":"worker started"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      worker.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the worker exited before it started (code ${code})`));
      });
    });
    log("octo-worker start: serving, with the ceremony's proving key");

    const user = createWalletClient({
      chain,
      transport: http(rpcUrl),
      account: privateKeyToAccount(p.userKey),
      pollingInterval: 500,
    })
      .extend(publicActions)
      .extend(octoActions({ deployments }));
    await user.waitForTransactionReceipt({
      hash: await user.writeContract({
        address: p.paymentToken,
        abi: erc20Abi,
        functionName: "approve",
        args: [deployments.contracts.JobMarket.address, maxUint256],
      }),
    });
    const created = await user.createJob({
      input: { prompt: "Rehearsal: say something about the number 42." },
      modelId: p.modelId,
      paymentToken: p.paymentToken,
      maxOutputTokens: MAX_TOKENS,
      maxPricePerToken: 20n,
      verifiable: true,
      deadlineSeconds: 7 * 24 * 3600,
      provider: provider.address,
    });
    log(`job ${created.jobId} created by the user through @octo/sdk (named, verifiable)`);

    const waitFor = async (wanted: string) => {
      const giveUp = Date.now() + timeoutMs;
      for (;;) {
        const { statusName } = await user.getJob({ jobId: created.jobId });
        if (statusName === wanted) return;
        if (Date.now() > giveUp)
          throw new Error(`job ${created.jobId} is ${statusName}, not ${wanted}, after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    };
    await waitFor("Submitted");
    log(`job ${created.jobId}: result and proof accepted by the deployed verifier`);
    const [, challengeWindow] = await user.readContract({
      address: deployments.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "parameters",
    });
    await p.testClient.increaseTime({ seconds: Number(challengeWindow) + 1 });
    await p.testClient.mine({ blocks: 1 });
    await waitFor("Finalized");
    const { text } = await user.openResult({ jobId: created.jobId, jobSecret: created.jobSecret });
    log(`job ${created.jobId}: Finalized by the worker; the user opened ${JSON.stringify(text)}`);
    return { jobId: created.jobId, status: "Finalized", text, provider: provider.address };
  } catch (error) {
    for (const line of workerLog.slice(-60)) log(`  worker: ${line}`);
    throw error;
  } finally {
    const exited = new Promise((r) => worker.once("exit", r));
    if (worker.exitCode === null && worker.signalCode === null) {
      worker.kill("SIGTERM");
      await exited;
    }
  }
}

/** A provider's config (the model on llama.cpp, one thread: one determinism class for all) and `octo-worker setup`,
 *  as the provider guide has it: tier, register, stake, offer. Returns the config's path. */
function setUpProvider(
  p: ServeOneJobParameters,
  key: Hex,
  dir: string,
  timeoutMs: number,
  log: (line: string) => void,
): string {
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, "config.json");
  writeFileSync(
    configPath,
    JSON.stringify(
      {
        chainId: p.chain.id,
        rpcUrls: [p.rpcUrl],
        deployments: p.deploymentsPath,
        key: { env: "OCTO_REHEARSAL_PROVIDER_KEY" },
        // An automining chain mines a block only for a transaction: events are handled at once (as on a devnet).
        confirmations: 0,
        pollIntervalMs: 500,
        dataDir: join(dir, "data"),
        models: [
          {
            modelId: p.modelId,
            paymentToken: p.paymentToken,
            engine: { kind: "llamaCpp", modelPath: p.modelPath, threads: 1, contextSize: 512, gpuLayers: 0 },
            pricePerToken: "10",
            maxContext: 512,
          },
        ],
        prover: { zkey: p.zkey },
        ops: { host: "127.0.0.1", port: 0 },
        stream: { host: "127.0.0.1", port: 0 },
      },
      null,
      2,
    ),
  );
  const args = ["--model-id", p.modelId, "--tier", "0", "--price", "10", "--payment-token", p.paymentToken];
  const setup = spawnSync(
    process.execPath,
    [WORKER_CLI, "-c", configPath, "setup", ...args, "--context", "512", "--yes"],
    { env: { ...process.env, OCTO_REHEARSAL_PROVIDER_KEY: key }, encoding: "utf8", timeout: timeoutMs },
  );
  const address = privateKeyToAccount(key).address;
  log(`octo-worker setup (${address}):\n${`${setup.stdout}${setup.stderr}`.trim().replace(/^/gm, "    ")}`);
  if (setup.status !== 0) throw new Error(`octo-worker setup for ${address} failed (exit ${setup.status})`);
  return configPath;
}
