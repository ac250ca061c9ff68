// The whole market under load and faults: a devnet, four honest providers of three tiers (each its own worker process,
// store and key, all serving the same model so that committees can be drawn) reaching the chain through a proxy that
// can go down, a scripted cheater, and several users creating named and open, verifiable and plain jobs through
// @octo/sdk. Jobs come in waves; while each wave flows one machine fault strikes (a worker SIGKILLed and restarted, an
// RPC outage, an engine crash), and some waves add the users' faults (a key never delivered, an honest result
// disputed, the cheater's forged result disputed). Then the chain is checked alone (checkMarket).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_KEYS, DEV_ROLES, startDevnet } from "@octo/devnet";
import { localModel } from "../../src/localMarket/localModel.ts";
import { deriveEncryptionKey } from "../../src/daemon/deriveEncryptionKey.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/tcpProxy.ts";
import { postForgedResult } from "../helpers/postForgedResult.ts";
import { checkMarket, type CheckMarketReturnType } from "./checkMarket.ts";
import { createJobLedger } from "./jobLedger.ts";
import { startProviderProcess, type ProviderProcess } from "./providerProcess.ts";
import { fundSoakUsers, soakUserClient, type SoakUser } from "./soakUsers.ts";

export type RunSoakParameters = {
  /** Jobs in each wave (besides the users' fault jobs). */
  jobsPerWave: number;
  waves: number;
  /**
   * Wall time (ms, from the first wave) past which no further wave starts: one starts only when the waves so far,
   * at their mean length, say it ends within it. The waves actually run are returned; none by default.
   */
  budgetMs?: number;
  /** How long the RPC proxy stays down. */
  outageMs?: number;
  /** Longest a wave's jobs may all stand still before the run fails (the machine is shared: generous). */
  phaseTimeoutMs?: number;
  log?: (line: string) => void;
};

export type MachineFault = "workerKilled" | "rpcOutage" | "engineCrashed";
export type UserFault = "keyNeverDelivered" | "honestResultDisputed" | "cheaterDisputed";

export type RunSoakReturnType = {
  check: CheckMarketReturnType;
  faults: Record<MachineFault | UserFault, number>;
  honest: Address[];
  cheater: Address;
  /** Waves run: fewer than asked when budgetMs ran out. */
  wavesRun: number;
  wallSeconds: number;
  jobsPerMinute: number;
  /** create → submitted, wall seconds, of every job that was submitted. */
  jobSeconds: number[];
  /** Every worker's log, for a failure report. */
  logs: string[];
};

const MAX_TOKENS = 16;
const MAX_PRICE = 20n;
const MACHINE_FAULTS: MachineFault[] = ["workerKilled", "rpcOutage", "engineCrashed"];
const TERMINAL = new Set(["Finalized", "Cancelled", "TimedOut", "Slashed", "Refunded"]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The honest providers: two of tier 0, one of tier 1, one of tier 2, each staking its tier's minimum and more. */
const PROVIDERS = [
  { name: "alpha", key: DEV_ROLES.provider, tier: 0, stake: 2_000n, price: 10n },
  { name: "bravo", key: DEV_KEYS[3], tier: 1, stake: 6_000n, price: 12n },
  { name: "charlie", key: DEV_KEYS[4], tier: 2, stake: 11_000n, price: 14n },
  { name: "delta", key: DEV_KEYS[5], tier: 0, stake: 2_000n, price: 10n },
] as const;

export async function runSoak({
  jobsPerWave,
  waves,
  budgetMs = Number.POSITIVE_INFINITY,
  outageMs = 8_000,
  phaseTimeoutMs = 300_000,
  log = () => {},
}: RunSoakParameters): Promise<RunSoakReturnType> {
  const { path: modelPath, spec } = await localModel("fixture");
  const market = await startDevnet({ model: spec });
  const dir = mkdtempSync(join(tmpdir(), "octo-soak-"));
  const providers: ProviderProcess[] = [];
  let proxy: TcpProxy | undefined;
  const faults: RunSoakReturnType["faults"] = {
    workerKilled: 0,
    rpcOutage: 0,
    engineCrashed: 0,
    keyNeverDelivered: 0,
    honestResultDisputed: 0,
    cheaterDisputed: 0,
  };
  const watches: (() => void)[] = [];
  try {
    proxy = await startTcpProxy({ targetPort: market.anvil.port });
    const deploymentsPath = join(dir, "deployments.json");
    market.writeDeployments(deploymentsPath);
    for (const p of PROVIDERS)
      providers.push(
        await startProviderProcess({
          market,
          name: p.name,
          key: p.key,
          tier: p.tier,
          stake: p.stake,
          pricePerToken: p.price,
          rpcUrl: proxy.url,
          deploymentsPath,
          modelPath,
          dir,
          capacity: 1,
        }),
      );
    const cheater = privateKeyToAccount(DEV_KEYS[6]);
    await market.registerProvider({
      account: cheater,
      encryptionPublicKey: `0x${Buffer.from((await deriveEncryptionKey(cheater)).publicKey).toString("hex")}` as Hex,
      pricePerToken: 10n,
      maxContext: 512,
    });
    // Started together: each loads its engine and prover, and on a loaded machine one at a time takes minutes.
    await Promise.all(providers.map((p) => p.start()));
    log(`providers up: ${providers.map((p) => `${p.name} (tier ${p.tier})`).join(", ")}; cheater ${cheater.address}`);

    const users: SoakUser[] = [soakUserClient(market, DEV_ROLES.user), ...(await fundSoakUsers(market, 2))];
    const ledger = createJobLedger({
      publicClient: market.publicClient,
      jobMarket: market.contracts.JobMarket.address,
    });
    const started = Date.now();

    /**
     * Waits until every listed job satisfies `done`, reading the chain as it goes. Gives up when no listed job has
     * moved for phaseTimeoutMs: a long wave on a loaded machine is slow, not stuck (one provider can hold a dozen
     * jobs in its proving queue at ≈ 40 s a proof), but a job that stops moving is.
     */
    const waitJobs = async (jobIds: bigint[], done: (status: string, jobId: bigint) => boolean, what: string) => {
      let giveUp = Date.now() + phaseTimeoutMs;
      let seen = "";
      for (;;) {
        await ledger.poll();
        const pending = jobIds.filter((id) => !done(ledger.jobs.get(id)?.status ?? "None", id));
        if (pending.length === 0) return;
        const now = jobIds.map((id) => ledger.jobs.get(id)?.status).join();
        if (now !== seen) [seen, giveUp] = [now, Date.now() + phaseTimeoutMs];
        if (Date.now() > giveUp)
          throw new Error(
            `${what}: ${pending.length} jobs still pending, none moved for ${phaseTimeoutMs} ms: ${pending
              .slice(0, 10)
              .map((id) => `${id}=${ledger.jobs.get(id)?.status}`)
              .join(", ")}`,
          );
        await sleep(300);
      }
    };

    /** One job through the sdk; an open job is watched so that its user delivers the key to whoever claims it. */
    const create = async (
      user: SoakUser,
      i: number,
      {
        provider,
        verifiable = true,
        deliverKey = true,
      }: { provider?: Address; verifiable?: boolean; deliverKey?: boolean },
    ) => {
      const created = await user.createJob({
        input: { prompt: `Soak job ${i}: say something about the number ${i * 7}.` },
        modelId: market.modelId!,
        paymentToken: market.contracts.MockUSDC.address,
        maxOutputTokens: MAX_TOKENS,
        maxPricePerToken: MAX_PRICE,
        verifiable,
        deadlineSeconds: 30 * 24 * 3600,
        ...(provider ? { provider } : {}),
      });
      ledger.created(created.jobId);
      if (!provider && deliverKey)
        watches.push(
          user.watchJob({
            jobId: created.jobId,
            jobSecret: created.jobSecret,
            pollingInterval: 500,
            onError: (e) => log(`watch ${created.jobId}: ${e.message}`),
          }),
        );
      return created;
    };

    let index = 0;
    let wave = 0;
    for (; wave < waves; wave++) {
      const elapsed = Date.now() - started;
      if (wave > 0 && elapsed + elapsed / wave > budgetMs) {
        log(`budget: ${wave} waves in ${(elapsed / 1000).toFixed(0)} s, another would end past ${budgetMs / 1000} s`);
        break;
      }
      const fault = MACHINE_FAULTS[wave % MACHINE_FAULTS.length]!;
      const userFaults = wave % 4 === 1;
      const target = providers[wave % providers.length]!;
      const waveJobs: bigint[] = [];
      const ready = () => waveJobs.length >= Math.min(3, jobsPerWave);

      // The machine fault, while the wave's jobs are being created and served.
      const faultDone = (async () => {
        // Each strikes once its target has taken steps of this wave's jobs (steps count over the life).
        const base = target.steps();
        if (fault === "workerKilled") {
          const giveUp = Date.now() + 60_000;
          while (target.steps() < base + 2 && Date.now() < giveUp) await sleep(50);
          await target.kill();
          log(`wave ${wave}: ${target.name} SIGKILLed after ${target.steps() - base} job steps of this wave`);
          await sleep(1_500);
          await target.start();
        } else if (fault === "rpcOutage") {
          while (!ready()) await sleep(50);
          await proxy!.down();
          log(`wave ${wave}: RPC down for ${outageMs} ms`);
          await sleep(outageMs);
          await proxy!.up();
        } else {
          const giveUp = Date.now() + 60_000;
          while (target.steps() < base + 1 && Date.now() < giveUp) await sleep(20);
          const pid = target.crashEngine();
          log(`wave ${wave}: ${target.name}'s engine (pid ${pid}) SIGKILLed`);
        }
        faults[fault]++;
      })();

      // Named and open, verifiable and plain, from every user in turn.
      for (let k = 0; k < jobsPerWave; k++, index++) {
        const named = index % 2 === 0 ? providers[(index >> 1) % providers.length]!.address : undefined;
        const { jobId } = await create(users[index % users.length]!, index, {
          ...(named ? { provider: named } : {}),
          verifiable: index % 3 !== 2,
        });
        waveJobs.push(jobId);
      }

      let noKey: bigint | undefined;
      let honestDisputed: bigint | undefined;
      let cheated: { jobId: bigint; jobSecret: Uint8Array; user: SoakUser } | undefined;
      if (userFaults) {
        const [a, b, c] = users as [SoakUser, SoakUser, SoakUser];
        noKey = (await create(c, index++, { deliverKey: false })).jobId;
        faults.keyNeverDelivered++;
        honestDisputed = (await create(a, index++, { provider: providers[0]!.address })).jobId;
        const forged = await create(b, index++, { provider: cheater.address });
        await postForgedResult({
          market,
          cheater,
          jobId: forged.jobId,
          outputKey: forged.outputKey,
          maxTokens: MAX_TOKENS,
        });
        cheated = { jobId: forged.jobId, jobSecret: forged.jobSecret, user: b };
        waveJobs.push(noKey, honestDisputed, forged.jobId);
      }
      await faultDone;

      // Every result in (the job whose key never comes waits, claimed, for its key window to close).
      await waitJobs(
        waveJobs,
        (s, id) => s === "Submitted" || TERMINAL.has(s) || (id === noKey && s === "Claimed"),
        `wave ${wave} results`,
      );

      if (honestDisputed !== undefined && cheated) {
        // An honest result disputed: its provider reveals the input to the committee, which votes it clean.
        const { drawBlock } = await users[0]!.dispute({ jobId: honestDisputed });
        // The cheater's result disputed: its user reveals, the committee re-runs the job and votes fault.
        const forgedDispute = await cheated.user.dispute({ jobId: cheated.jobId });
        await market.testClient.mine({ blocks: 2 });
        await users[0]!.drawCommittee({ jobId: honestDisputed, drawBlock });
        await cheated.user.drawCommittee({ jobId: cheated.jobId, drawBlock: forgedDispute.drawBlock });
        await cheated.user.revealJobSecret({ jobId: cheated.jobId, jobSecret: cheated.jobSecret });
        faults.honestResultDisputed++;
        faults.cheaterDisputed++;
        await waitJobs([honestDisputed, cheated.jobId], (s) => TERMINAL.has(s), `wave ${wave} disputes`);
        log(
          `wave ${wave}: disputes settled (${ledger.jobs.get(honestDisputed)?.status}, ${ledger.jobs.get(cheated.jobId)?.status})`,
        );
      }

      // Past the challenge window (and the key window): the providers finalize, the unkeyed job is handed back.
      await market.passChallengeWindow();
      await waitJobs(waveJobs, (s) => TERMINAL.has(s), `wave ${wave} settlement`);
      log(`wave ${wave}: ${waveJobs.length} jobs settled (${fault}${userFaults ? " + user faults" : ""})`);
    }
    const wallSeconds = (Date.now() - started) / 1000;
    for (const stop of watches) stop();

    const check = await checkMarket({
      publicClient: market.publicClient,
      jobMarket: market.contracts.JobMarket.address,
      stakingRegistry: market.contracts.StakingRegistry.address,
      stakingToken: market.contracts.OctoToken.address,
    });
    const jobSeconds = [...ledger.jobs.values()].flatMap((j) =>
      j.createdAt !== undefined && j.submittedAt !== undefined ? [(j.submittedAt - j.createdAt) / 1000] : [],
    );
    return {
      check,
      faults,
      honest: providers.map((p) => p.address),
      cheater: cheater.address,
      wavesRun: wave,
      wallSeconds,
      jobsPerMinute: check.jobs / (wallSeconds / 60),
      jobSeconds,
      logs: providers.flatMap((p) => p.log),
    };
  } catch (error) {
    if (error instanceof Error) Object.assign(error, { logs: providers.flatMap((p) => p.log) });
    throw error;
  } finally {
    for (const stop of watches) stop();
    for (const p of providers) await p.stop().catch(() => {});
    await proxy?.close();
    await market.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
