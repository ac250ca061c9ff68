// A market where disputes can be decided: the harness's provider serving jobs, two more workers of the same model that
// meet its jobs only as committee members, and a registered provider (the "liar", driven by the test) that posts
// whatever it likes under a valid proof. Each worker's log is kept, to print when a test fails: a dispute involves
// four parties, and a silent timeout says little.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { erc20Abi, type Address, type ContractEventName, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_KEYS } from "@octo/devnet";
import { jobMarketAbi, stakingRegistryAbi } from "@octo/sdk";
import { loadConfig } from "../../src/config/loadConfig.ts";
import { deriveEncryptionKey } from "../../src/daemon/deriveEncryptionKey.ts";
import { startWorker, type RunningWorker } from "../../src/daemon/startWorker.ts";
import { recordedLogger, type RecordedLogger } from "../helpers/recordedLogger.ts";
import { PRICE_PER_TOKEN, startHarness, type Harness } from "./workerHarness.ts";

export type DisputeHarness = Awaited<ReturnType<typeof startDisputeHarness>>;

export async function startDisputeHarness(options: Parameters<typeof startHarness>[0] = {}) {
  const h: Harness = await startHarness(options);
  const workers: RunningWorker[] = [];
  const logs: RecordedLogger[] = [];
  const loggerFor = (name: string) => {
    const recorded = recordedLogger(name);
    logs.push(recorded);
    return recorded.logger;
  };
  const encryptionKeyOf = async (account: ReturnType<typeof privateKeyToAccount>): Promise<Hex> =>
    `0x${Buffer.from((await deriveEncryptionKey(account)).publicKey).toString("hex")}`;

  /** A second provider running the same worker and model, under its own key, data directory and ports. */
  async function startValidator(name: string, key: Hex) {
    const account = privateKeyToAccount(key);
    await h.market.registerProvider({
      account,
      encryptionPublicKey: await encryptionKeyOf(account),
      pricePerToken: PRICE_PER_TOKEN,
      maxContext: 512,
    });
    const dir = join(h.dir, name);
    mkdirSync(dir, { recursive: true });
    const env = { [`OCTO_TEST_${name.toUpperCase()}_KEY`]: key };
    const configPath = join(dir, "config.json");
    writeFileSync(
      configPath,
      JSON.stringify({ ...h.config, key: { env: Object.keys(env)[0] }, dataDir: join(dir, "data") }),
    );
    return startWorker({
      config: loadConfig({ path: configPath, env }),
      env,
      logger: loggerFor(name),
      minTimeToDeadline: 60,
    });
  }

  workers.push(
    await startWorker({
      config: loadConfig({ path: h.configPath, env: h.env }),
      env: h.env,
      logger: loggerFor("provider"),
      minTimeToDeadline: 60,
    }),
  );
  workers.push(await startValidator("v1", DEV_KEYS[3]));
  workers.push(await startValidator("v2", DEV_KEYS[4]));
  const liar = privateKeyToAccount(DEV_KEYS[6]);
  await h.market.registerProvider({
    account: liar,
    encryptionPublicKey: await encryptionKeyOf(liar),
    pricePerToken: PRICE_PER_TOKEN,
    maxContext: 512,
  });
  // The liar runs no worker, so it never votes: drawn onto an honest job's committee it would take a seat that can
  // never count, and a committee of the liar and one validator can never reach the quorum of 2. It accepts jobs only
  // while a test names it in one (`asLiar`); an ineligible provider is never drawn.
  const setLiarAccepting = (accepting: boolean) =>
    h.market.write(liar, {
      address: h.market.contracts.StakingRegistry.address,
      abi: stakingRegistryAbi,
      functionName: "setAccepting",
      args: [accepting],
    });
  await setLiarAccepting(false);

  return {
    h,
    logs,
    liar,
    events: (eventName: ContractEventName<typeof jobMarketAbi>, jobId: bigint) =>
      h.market.publicClient.getContractEvents({
        address: h.market.contracts.JobMarket.address,
        abi: jobMarketAbi,
        eventName,
        args: { jobId },
        fromBlock: 0n,
      }),
    getJob: (jobId: bigint) => h.user.getJob({ jobId }),
    balance: (who: Address) =>
      h.market.publicClient.readContract({
        address: h.market.contracts.MockUSDC.address,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [who],
      }),
    /** Runs `create` (a job naming the liar) while the liar accepts jobs; its collateral is locked by the creation. */
    async asLiar<T>(create: () => Promise<T>): Promise<T> {
      await setLiarAccepting(true);
      try {
        return await create();
      } finally {
        await setLiarAccepting(false);
      }
    },
    /** The user disputes, the draw block (whose hash seeds the committee) and one more are mined, and the user draws. */
    async disputeAndDraw(jobId: bigint) {
      const { drawBlock } = await h.user.dispute({ jobId });
      await h.market.testClient.mine({ blocks: 2 });
      await h.user.drawCommittee({ jobId, drawBlock });
    },
    async stop() {
      for (const w of workers) await w.stop();
      await h.market.stop();
      rmSync(h.dir, { recursive: true, force: true });
    },
  };
}
