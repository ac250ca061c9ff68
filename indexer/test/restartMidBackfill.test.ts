// An indexer interrupted in the middle of a backfill of a long history of jobs (killed with SIGKILL, as a crash, or
// stopped with SIGTERM), then started again on the same database: it must end with exactly the tables a plain
// reading of the logs gives, no event lost, none counted twice. On PostgreSQL it resumes from its last checkpoint;
// on PGlite, where a backfill batch is not written atomically, it drops the interrupted tables and indexes again
// (`launch/resetInterruptedBackfill.ts`).
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startDevnet, type Devnet } from "@octo/devnet";
import { queryIndexer, startIndexer, type StartIndexerParameters, type StartIndexerReturnType } from "@octo/indexer";
import { compareWithLogs } from "./helpers/compareWithLogs.ts";
import { makeCancelledJobs } from "./helpers/makeCancelledJobs.ts";
import { startPostgres } from "./helpers/startPostgres.ts";

// Enough history that the backfill takes several seconds even on a fast machine.
const JOBS = 3_000;

describe("indexer restarted in the middle of a backfill", function () {
  let devnet: Devnet;
  const dir = mkdtempSync(join(tmpdir(), "octo-indexer-restart-"));
  const deploymentsPath = join(dir, "deployments.json");
  const start = async (options: Partial<StartIndexerParameters> = {}) =>
    startIndexer({
      deploymentsPath,
      rpcUrl: devnet.rpcUrl,
      port: await freePort(),
      pollingIntervalMs: 100,
      ...options,
    });

  before(async function () {
    devnet = await startDevnet({
      model: { name: "restart-model", weightsDigest: `0x${"33".repeat(32)}`, quantization: "f32", engine: "test" },
    });
    devnet.writeDeployments(deploymentsPath);
    await makeCancelledJobs(devnet, JOBS);
  });
  after(async function () {
    await devnet?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts an indexer on `database`, kills it once part of the history is in its tables, starts it again on the
   *  same database and compares every table with the logs. */
  async function killAndResume(
    database: Partial<StartIndexerParameters>,
    signal: "SIGKILL" | "SIGTERM" = "SIGKILL",
  ): Promise<StartIndexerReturnType["restartedBackfill"]> {
    const first = await start({ ...database, waitUntil: "started" });
    let indexed = 0;
    try {
      // Wait until some of the jobs are in the tables (the SQL endpoint serves during the backfill).
      for (;;) {
        const rows = await queryIndexer(first.url, "select count(*) as n from job").catch(() => undefined);
        indexed = Number(rows?.[0]?.n ?? 0);
        if (indexed > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await first.stop({ signal });
    }
    expect(indexed, "the backfill had finished before it could be interrupted: raise JOBS").to.be.below(JOBS);

    let second = await start(database);
    const { restartedBackfill } = second;
    try {
      if (database.pgliteDir !== undefined) {
        // On PGlite the SQL endpoint shares Ponder's one session, in which a backfill batch that updated more than
        // 20 rows of a table leaves an empty temporary table of the same name that unqualified reads see (and the
        // endpoint refuses qualified names); it does so after an uninterrupted backfill too. The tables themselves
        // are read through a fresh session: the directory is started once more, resuming where the second run ended.
        await second.stop();
        second = await start(database);
        expect(second.restartedBackfill, "a directory whose backfill finished is resumed, not indexed again").to.equal(
          false,
        );
      }
      const tables = await compareWithLogs(second, devnet);
      expect(tables.job).to.have.length(JOBS);
      expect(tables.job_step).to.have.length(2 * JOBS);
      expect(tables.daily_total.reduce((n, d) => n + Number(d.jobs_created), 0)).to.equal(JOBS);
      expect(tables.daily_total.reduce((n, d) => n + Number(d.jobs_cancelled), 0)).to.equal(JOBS);
      return restartedBackfill;
    } finally {
      await second.stop();
    }
  }

  it("killed (SIGKILL) half-way on PostgreSQL, restarted: the tables equal the logs, nothing counted twice", async function () {
    const postgres = await startPostgres();
    try {
      expect(await killAndResume({ databaseUrl: postgres.url })).to.equal(false);
    } finally {
      await postgres.stop();
    }
  });

  for (const signal of ["SIGKILL", "SIGTERM"] as const)
    it(`${signal === "SIGKILL" ? "killed (SIGKILL)" : "stopped (SIGTERM)"} half-way on PGlite, restarted on the same directory: the tables equal the logs, nothing counted twice`, async function () {
      const pgliteDir = join(dir, `pglite-${signal}`);
      expect(await killAndResume({ pgliteDir }, signal), "the interrupted backfill was found").to.equal(true);
    });
});
