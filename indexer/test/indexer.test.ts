// The indexer against a real local market: every terminal state, compared with a plain reading of the logs and with
// the contracts' own state; GraphQL; a restart in the middle of new events; a reorg that removes a step; and the
// same tables in a real PostgreSQL server.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@octo/devnet";
import { JobStatusNames, stakingRegistryAbi } from "@octo/sdk";
import { queryIndexer, startIndexer, type StartIndexerReturnType } from "@octo/indexer";
import { compareWithLogs } from "./helpers/compareWithLogs.ts";
import { startMarketScenario, type MarketScenario } from "./helpers/marketScenario.ts";
import { startPostgres } from "./helpers/startPostgres.ts";

describe("indexer", function () {
  let scenario: MarketScenario;
  let indexer: StartIndexerReturnType | undefined;
  const pgliteDir = mkdtempSync(join(tmpdir(), "octo-indexer-test-"));
  const start = async (options: { databaseUrl?: string } = {}) =>
    startIndexer({
      deploymentsPath: scenario.market.deploymentsPath,
      rpcUrl: scenario.devnet.rpcUrl,
      port: await freePort(),
      pgliteDir,
      pollingIntervalMs: 100,
      ...options,
    });

  before(async function () {
    scenario = await startMarketScenario();
    indexer = await start();
  });
  after(async function () {
    await indexer?.stop();
    await scenario?.stop();
    rmSync(pgliteDir, { recursive: true, force: true });
  });

  it("indexes a job in every terminal state exactly as the logs tell it", async function () {
    const tables = await compareWithLogs(indexer!, scenario.devnet);
    const statusOf = (jobId: bigint) => tables.job.find((j) => j.id === jobId.toString())?.status;
    const { jobs } = scenario;
    expect(
      [
        jobs.finalized,
        jobs.cleared,
        jobs.slashed,
        jobs.lapsed,
        jobs.disputed,
        jobs.cancelled,
        jobs.refunded,
        jobs.timedOut,
        jobs.open,
      ].map(statusOf),
    ).to.deep.equal([
      "Finalized",
      "Finalized",
      "Slashed",
      "Finalized",
      "Disputed",
      "Cancelled",
      "Refunded",
      "TimedOut",
      "Open",
    ]);
    // Every step of a disputed-and-slashed job, in order, each with its block, transaction and time.
    const steps = tables.job_step
      .filter((s) => s.job_id === jobs.slashed.toString())
      .sort((a, b) => Number(a.block_number) - Number(b.block_number) || Number(a.log_index) - Number(b.log_index));
    expect(steps.map((s) => s.step)).to.include.ordered.members([
      "JobCreated",
      "JobClaimed",
      "ResultSubmitted",
      "DisputeOpened",
      "JobDisputed",
      "DisputeVoted",
      "DisputeVoted",
      "JobSlashed",
    ]);
    for (const s of steps) expect(s).to.include.keys("block_number", "transaction_hash", "timestamp");
    expect(
      tables.vote.filter((v) => v.job_id === jobs.slashed.toString()).map((v) => v.provider_at_fault),
    ).to.deep.equal([true, true]);
    // The lapsed dispute's silent members, each with one missed vote, and nobody else.
    expect(
      tables.provider
        .filter((p) => Number(p.missed_votes) > 0)
        .map((p) => [p.address, Number(p.missed_votes)])
        .sort(),
    ).to.deep.equal(scenario.silentMembers.map((a) => [a.toLowerCase(), 1]).sort());
    // Money outside the jobs: the blocked user's refund credited and withdrawn, the fees sent to the treasury.
    const credit = tables.credit.find((c) => c.account === scenario.devnet.user.address.toLowerCase());
    expect(
      credit && [Number(credit.credited) > 0, credit.credited === credit.withdrawn, credit.deposited],
    ).to.deep.equal([true, true, "0"]);
    expect(tables.fee_withdrawal).to.have.length(1);
    expect(Number(tables.fee_withdrawal[0]!.amount)).to.be.greaterThan(0);
    // Every lock a claim made is released, except the jobs still held (disputed; open jobs hold none).
    expect(tables.collateral_lock.filter((l) => l.active).map((l) => l.job_id)).to.deep.equal([
      jobs.disputed.toString(),
    ]);
    expect(tables.collateral_lock.filter((l) => l.release === "Slashed").map((l) => l.job_id)).to.include(
      jobs.slashed.toString(),
    );
    // Governance events since deployment (the constructors set the fee, windows and collateral without events): the
    // registry bound to the market, and the payment tokens allowed (the devnet's USDC and the scenario's own).
    expect(tables.setting.map((s) => s.id).sort()).to.deep.equal(
      [
        "JobMarketBound",
        `PaymentTokenSet:${scenario.devnet.contracts.MockUSDC.address.toLowerCase()}`,
        `PaymentTokenSet:${scenario.blocklistToken.toLowerCase()}`,
      ].sort(),
    );
  });

  it("agrees with the contracts' own state: every job's status, every provider's stake and record", async function () {
    const { devnet } = scenario;
    for (const row of await queryIndexer(indexer!.url, "select id, status from job")) {
      const onChain = await scenario.user.getJob({ jobId: BigInt(String(row.id)) });
      expect(row.status, `job ${row.id}`).to.equal(JobStatusNames[onChain.status]);
    }
    for (const row of await queryIndexer(indexer!.url, "select * from provider")) {
      const p = await devnet.publicClient.readContract({
        address: devnet.contracts.StakingRegistry.address,
        abi: stakingRegistryAbi,
        functionName: "getProvider",
        args: [row.address as `0x${string}`],
      });
      expect(
        [
          row.stake,
          row.locked,
          row.unbonding,
          row.tier,
          row.accepting,
          row.completed,
          row.timed_out,
          row.disputed,
          row.slashed,
          row.released,
          row.missed_votes,
        ],
        `provider ${row.address}`,
      ).to.deep.equal([
        p.stake.toString(),
        p.locked.toString(),
        p.unbonding.toString(),
        p.tier,
        p.accepting,
        Number(p.completed),
        Number(p.timedOut),
        Number(p.disputed),
        Number(p.slashed),
        Number(p.released),
        Number(p.missedVotes),
      ]);
    }
  });

  it("serves the tables over GraphQL", async function () {
    const response = await fetch(indexer!.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `{ job(id: "${scenario.jobs.finalized}") { status providerAmount } jobSteps(where: { jobId: "${scenario.jobs.finalized}" }, orderBy: "blockNumber") { items { step transactionHash } } }`,
      }),
    });
    const body = (await response.json()) as {
      data: { job: { status: string; providerAmount: string }; jobSteps: { items: { step: string }[] } };
    };
    expect(body.data.job.status).to.equal("Finalized");
    expect(BigInt(body.data.job.providerAmount) > 0n).to.equal(true);
    expect(body.data.jobSteps.items.map((s) => s.step)).to.include.members([
      "JobCreated",
      "ResultSubmitted",
      "JobFinalized",
    ]);
  });

  it("resumes after a restart in the middle of new events without losing or counting any twice", async function () {
    const { devnet, user } = scenario;
    // Open jobs (naming no provider), so that their user can cancel them: nobody is serving by now.
    const create = async () =>
      (
        await user.createJob({
          input: { prompt: "x" },
          modelId: devnet.modelId!,
          paymentToken: devnet.contracts.MockUSDC.address,
          maxOutputTokens: 4,
          maxPricePerToken: 10n,
          userKey: await user.getUserKey(),
        })
      ).jobId;
    const cancelledBefore = (await queryIndexer(indexer!.url, "select id from job where status = 'Cancelled'")).length;
    const first = await create();
    await user.cancelJob({ jobId: first });
    await indexer!.waitForBlock(await devnet.publicClient.getBlockNumber({ cacheTime: 0 }));
    // More events while the indexer stops, and after: the restart must pick up from its checkpoint.
    const more = (async () => {
      for (let i = 0; i < 3; i++) await user.cancelJob({ jobId: await create() });
    })();
    await indexer!.stop();
    indexer = undefined;
    await more;
    indexer = await start();
    // Its backfill had finished: the tables are kept and indexing resumes from its checkpoint.
    expect(indexer.restartedBackfill).to.equal(false);
    const tables = await compareWithLogs(indexer, scenario.devnet);
    expect(tables.job.filter((j) => j.status === "Cancelled")).to.have.length(cancelledBefore + 4);
  });

  it("undoes a step that a reorg removed", async function () {
    const { devnet, user, jobs } = scenario;
    const snapshot = await devnet.testClient.snapshot();
    const { hash } = await user.cancelJob({ jobId: jobs.open });
    await indexer!.waitForBlock(await devnet.publicClient.getBlockNumber({ cacheTime: 0 }));
    const before = await queryIndexer(indexer!.url, "select status from job where id = $1", [jobs.open.toString()]);
    expect(before[0]!.status).to.equal("Cancelled");
    expect(
      await queryIndexer(indexer!.url, "select step from job_step where transaction_hash = $1", [hash]),
    ).to.have.length(1);

    await devnet.testClient.revert({ id: snapshot });
    // A longer chain without the cancellation: the indexer sees new blocks whose ancestry no longer has it.
    await devnet.testClient.mine({ blocks: 3 });
    const tables = await compareWithLogs(indexer!, devnet);
    expect(tables.job.find((j) => j.id === jobs.open.toString())!.status).to.equal("Open");
    expect(tables.job_step.filter((s) => s.transaction_hash === hash)).to.have.length(0);
  });

  it("keeps the same tables in a real PostgreSQL server (DATABASE_URL)", async function () {
    const postgres = await startPostgres();
    let onPostgres: StartIndexerReturnType | undefined;
    try {
      onPostgres = await start({ databaseUrl: postgres.url });
      const tables = await compareWithLogs(onPostgres, scenario.devnet);
      expect(tables.job.length).to.be.greaterThan(8);
    } finally {
      await onPostgres?.stop();
      await postgres.stop();
    }
  });
});
