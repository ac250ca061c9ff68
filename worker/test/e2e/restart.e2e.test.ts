// The worker killed (SIGKILL) at random points over many jobs: afterwards every job completes exactly once. Half the
// lives are killed from outside after a random number of job steps; the other half kill themselves inside the sender,
// between signing, recording and broadcasting a transaction (OCTO_TEST_KILL_AT), where a nonce is easiest to strand.
import { expect } from "chai";
import type { ContractEventName } from "viem";
import { jobMarketAbi } from "@octo/sdk";
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { PRICE_PER_TOKEN, startHarness, type Harness } from "./workerHarness.ts";

const cli = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const KILLS = 8;
const SEND_STEPS = ["signed", "recorded", "broadcast"] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small deterministic PRNG, so a failing kill schedule can be replayed from its seed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe("worker restarts (SIGKILL at random points)", function () {
  this.timeout(600_000);
  let h: Harness;
  let child: ChildProcess | undefined;
  /** Every life's log lines, printed only if the test fails. */
  const logs: string[] = [];
  /** Job steps the current life has logged. */
  let steps = 0;

  /**
   * Starts a worker life; resolves once it has started taking jobs, rejects if it dies first. A life given a failpoint
   * (`killAt`) may kill itself at any moment, even while it resumes: for it, dying first also resolves.
   */
  const start = (life: number, killAt?: string) => {
    const env = { ...process.env, ...h.env, OCTO_LOG_LEVEL: "debug", ...(killAt ? { OCTO_TEST_KILL_AT: killAt } : {}) };
    const proc = spawn(process.execPath, [cli, "-c", h.configPath, "start"], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    child = proc;
    steps = 0;
    return new Promise<void>((resolve, reject) => {
      createInterface({ input: proc.stdout! }).on("line", (line) => {
        logs.push(`[life ${life}] ${line}`);
        if (line.includes('"msg":"worker started"')) resolve();
        if (line.includes('"msg":"job step"')) steps++;
      });
      proc.once("exit", (code, signal) => {
        if (killAt && signal === "SIGKILL") resolve();
        else reject(new Error(`worker life ${life} ended before it started (code ${code}, signal ${signal})`));
      });
    });
  };
  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const kill = async () => {
    // A process killed by a signal has exitCode null and signalCode set: both mean it is gone.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  };
  const events = (eventName: ContractEventName<typeof jobMarketAbi>) =>
    h.market.publicClient.getContractEvents({
      address: h.market.contracts.JobMarket.address,
      abi: jobMarketAbi,
      eventName,
      fromBlock: 0n,
    });
  const jobIdsOf = async (eventName: ContractEventName<typeof jobMarketAbi>) =>
    new Set((await events(eventName)).map((e) => (e as unknown as { args: { jobId: bigint } }).args.jobId));

  before(async () => {
    h = await startHarness();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") for (const line of logs) console.log(line);
  });
  after(async () => {
    await kill();
    await h?.market.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  it("completes every job exactly once, paying the provider once per job", async () => {
    const seed = Number(process.env.OCTO_KILL_SEED ?? 20261123);
    const random = prng(seed);
    const prompts = [
      "one",
      "two words",
      "three little words",
      "four more words here",
      "five",
      "six of them",
      "seven",
      "eight at last",
    ];
    const jobs = [];
    for (const prompt of prompts)
      jobs.push(
        await h.createJob({ prompt, provider: h.provider, maxOutputTokens: 16, maxPricePerToken: PRICE_PER_TOKEN }),
      );

    // Time past the challenge window once every result is in, so that a life can finalize.
    let windowPassed = false;
    const passWindowOnceAllSubmitted = async () => {
      if (windowPassed || (await jobIdsOf("ResultSubmitted")).size < jobs.length) return;
      await h.market.passChallengeWindow();
      windowPassed = true;
    };

    // Each kill lands at a random point of the work, counted in job steps (claim, inference, proof, submission,
    // finalization) rather than in seconds, so that it lands in the work on a slow machine as on a fast one: after
    // the life's k-th step, at a random moment inside the next one.
    const progress: string[] = [];
    for (let life = 1; life <= KILLS; life++) {
      // Even lives take the sender's steps in turn (signed, recorded, broadcast, …) at a random count.
      const killAt =
        life % 2 === 0
          ? `${SEND_STEPS[(life / 2 - 1) % SEND_STEPS.length]}:${1 + Math.floor(random() * 4)}`
          : undefined;
      await start(life, killAt);
      const giveUpAt = Date.now() + 120_000;
      if (killAt) {
        // The life ends itself at its failpoint (or, having sent too few transactions to reach it, is killed).
        while (alive() && Date.now() < giveUpAt && (await jobIdsOf("JobFinalized")).size < jobs.length) {
          await passWindowOnceAllSubmitted();
          await sleep(20);
        }
      } else {
        const k = 1 + Math.floor(random() * 8);
        while (steps < k && Date.now() < giveUpAt && (await jobIdsOf("JobFinalized")).size < jobs.length) {
          await passWindowOnceAllSubmitted();
          await sleep(20);
        }
        await sleep(random() * 500);
      }
      await passWindowOnceAllSubmitted();
      await kill();
      progress.push(
        `${killAt ?? "outside"}→${(await jobIdsOf("JobClaimed")).size}/${(await jobIdsOf("ResultSubmitted")).size}/${(await jobIdsOf("JobFinalized")).size}`,
      );
    }

    // The last life runs until every job is finalized.
    await start(KILLS + 1);
    const deadline = Date.now() + 300_000;
    for (;;) {
      await passWindowOnceAllSubmitted();
      const finalized = await jobIdsOf("JobFinalized");
      if (finalized.size === jobs.length) break;
      if (Date.now() > deadline)
        throw new Error(`only ${finalized.size} of ${jobs.length} jobs finalized (seed ${seed}, ${KILLS} kills)`);
      await sleep(250);
    }
    await kill();

    const submitted = await events("ResultSubmitted");
    const finalizedEvents = (await events("JobFinalized")) as unknown as {
      args: { jobId: bigint; providerAmount: bigint };
    }[];
    for (const { jobId } of jobs) {
      expect(
        submitted.filter((e) => (e as unknown as { args: { jobId: bigint } }).args.jobId === jobId),
        `job ${jobId} submitted once`,
      ).to.have.length(1);
      expect(
        finalizedEvents.filter((e) => e.args.jobId === jobId),
        `job ${jobId} finalized once`,
      ).to.have.length(1);
    }
    expect(await events("JobReleased")).to.have.length(0);
    console.log(`      (seed ${seed}; claimed/submitted/finalized at each SIGKILL: ${progress.join(" ")})`);
  });
});
