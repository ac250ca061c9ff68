// The worker killed (SIGKILL) at random points over many jobs: afterwards every job completes exactly once.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PRICE_PER_TOKEN, startHarness, type Harness } from "./workerHarness.ts";

const cli = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** A small deterministic PRNG, so a failing kill schedule can be replayed from its seed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe("worker restarts (SIGKILL at random points)", function () {
  this.timeout(600_000);
  let h: Harness;
  let child: ChildProcess | undefined;

  const start = () => {
    child = spawn(process.execPath, [cli, "-c", h.configPath, "start"], { env: { ...process.env, ...h.env, OCTO_LOG_LEVEL: "silent" }, stdio: ["ignore", "ignore", "inherit"] });
    return child;
  };
  const kill = async () => {
    // A process killed by a signal has exitCode null and signalCode set: both mean it is gone.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  };
  const events = (eventName: string) =>
    h.market.publicClient.getContractEvents({ address: h.market.contracts.JobMarket.address, abi: h.market.contracts.JobMarket.abi, eventName, fromBlock: 0n });

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await kill();
    await h?.market.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  it("completes every job exactly once, paying the provider once per job", async () => {
    const seed = Number(process.env.OCTO_KILL_SEED ?? 20261123);
    const random = prng(seed);
    const prompts = ["one", "two words", "three little words", "four more words here", "five"];
    const jobs = [];
    for (const prompt of prompts) jobs.push(await h.market.createJob({ prompt, provider: h.provider, providerEncryptionKey: h.providerEncryptionKey, maxOutputTokens: 16, maxPricePerToken: PRICE_PER_TOKEN }));

    let kills = 0;
    const deadline = Date.now() + 480_000;
    for (;;) {
      start();
      const finalized = new Set((await events("JobFinalized")).map((e) => (e as unknown as { args: { jobId: bigint } }).args.jobId));
      if (finalized.size === jobs.length) break;
      if (Date.now() > deadline) throw new Error(`only ${finalized.size} of ${jobs.length} jobs finalized (seed ${seed}, ${kills} kills)`);
      // Let it run a random while (a worker start takes ~1–2 s), then kill it; once every job is submitted, move
      // chain time past the challenge window so the worker can finalize.
      await new Promise((r) => setTimeout(r, 500 + random() * 4_000));
      if ((await events("ResultSubmitted")).length === jobs.length) await h.market.passChallengeWindow();
      if (kills < 6) {
        await kill();
        kills++;
      } else {
        await new Promise((r) => setTimeout(r, 3_000));
        await kill();
      }
    }
    await kill();

    const submitted = await events("ResultSubmitted");
    const finalizedEvents = (await events("JobFinalized")) as unknown as { args: { jobId: bigint; providerAmount: bigint } }[];
    for (const { jobId } of jobs) {
      expect(submitted.filter((e) => (e as unknown as { args: { jobId: bigint } }).args.jobId === jobId), `job ${jobId} submitted once`).to.have.length(1);
      expect(finalizedEvents.filter((e) => e.args.jobId === jobId), `job ${jobId} finalized once`).to.have.length(1);
    }
    expect(await events("JobReleased")).to.have.length(0);
    expect(kills).to.be.greaterThan(0);
    console.log(`      (${kills} SIGKILLs, seed ${seed})`);
  });
});
