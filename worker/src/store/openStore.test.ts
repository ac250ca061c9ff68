import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { openStore, type Store } from "./openStore.ts";
import { InvalidJobTransitionError } from "./StoreError.ts";

describe("store/openStore (SQLite file)", () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "octo-store-"));
    store = openStore({ path: join(dir, "nested", "worker.db") });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const event = (blockNumber: number, logIndex: number, blockHash = `0xb${blockNumber}`) => ({
    blockHash,
    logIndex,
    blockNumber,
    txHash: `0xt${blockNumber}${logIndex}`,
    contract: "0xABC",
    eventName: "JobCreated",
    args: { jobId: 2n ** 200n, user: "0x01" },
  });

  it("uses WAL and records its migrations; reopening applies nothing twice", () => {
    expect(store.db.pragma("journal_mode", { simple: true })).to.equal("wal");
    store.close();
    store = openStore({ path: join(dir, "nested", "worker.db") });
    expect(store.db.prepare("SELECT version, name FROM migrations ORDER BY version").all()).to.deep.equal([
      { version: 1, name: "initial" },
      { version: 2, name: "dispute duties" },
      { version: 3, name: "transactions by nonce" },
    ]);
  });

  it("records an event once per (blockHash, logIndex), keeping bigint args exact", () => {
    expect(store.recordEvent(event(5, 0))).to.equal(true);
    expect(store.recordEvent(event(5, 0))).to.equal(false);
    expect(store.recordEvent(event(5, 1))).to.equal(true);
    expect(store.recordEvent(event(5, 0, "0xother"))).to.equal(true);
    expect(store.getEvent("0xb5", 0)?.args).to.deep.equal({ jobId: 2n ** 200n, user: "0x01" });
    expect(store.getEvent("0xb5", 0)?.contract).to.equal("0xabc");
  });

  it("undoes events above a block, newest first, and lets a re-canonical log be handled again", () => {
    for (const [b, i] of [
      [4, 0],
      [5, 0],
      [5, 1],
      [6, 0],
    ] as const)
      store.recordEvent(event(b, i));
    const removed = store.undoEventsAfter(4);
    expect(removed.map((e) => [e.blockNumber, e.logIndex])).to.deep.equal([
      [6, 0],
      [5, 1],
      [5, 0],
    ]);
    expect(removed.every((e) => e.status === "removed")).to.equal(true);
    expect(store.undoEventsAfter(4)).to.deep.equal([]);
    expect(store.getEvent("0xb4", 0)?.status).to.equal("handled");
    expect(store.recordEvent(event(5, 0))).to.equal(true);
    expect(store.recordEvent(event(5, 0))).to.equal(false);
  });

  it("keeps checkpoints per contract and lists known block hashes newest first", () => {
    store.setCheckpoint("0xAA", { blockNumber: 10, blockHash: "0x10" });
    store.setCheckpoint("0xaa", { blockNumber: 12, blockHash: "0x12" });
    expect(store.getCheckpoint("0xAa")).to.deep.equal({ blockNumber: 12, blockHash: "0x12" });
    expect(store.getCheckpoint("0xbb")).to.equal(undefined);
    store.rememberBlock(11, "0x11");
    store.recordEvent(event(9, 0));
    expect(store.knownBlocks(11).map((b) => b.blockNumber)).to.deep.equal([11, 9]);
    expect(store.knownBlocks(20).map((b) => b.blockNumber)).to.deep.equal([12, 11, 9]);
  });

  it("advances jobs by compare-and-set through the step machine", () => {
    expect(store.createJob(7n, { model: "m" })).to.equal(true);
    expect(store.createJob(7n)).to.equal(false);
    expect(store.advanceJob(7n, "seen", "claiming")).to.equal(true);
    // A second path that still thinks the job is 'seen' loses.
    expect(store.advanceJob(7n, "seen", "claiming")).to.equal(false);
    expect(store.advanceJob(7n, "claiming", "claimed", { data: { claimTx: "0xabc", price: 5n } })).to.equal(true);
    expect(() => store.advanceJob(7n, "claimed", "proving")).to.throw(InvalidJobTransitionError, "claimed → proving");
    expect(store.advanceJob(7n, "claimed", "released", { reason: "prompt too long" })).to.equal(true);
    expect(() => store.advanceJob(7n, "released", "seen")).to.throw(InvalidJobTransitionError);
    const job = store.getJob(7n)!;
    expect(job).to.deep.include({ jobId: 7n, step: "released", reason: "prompt too long", version: 3 });
    expect(job.data).to.deep.equal({ model: "m", claimTx: "0xabc", price: 5n });
    expect(store.jobsInStep("released").map((j) => j.jobId)).to.deep.equal([7n]);
    expect(store.countJobsByStep()).to.deep.equal({ released: 1 });
    expect(store.countJobsInSteps(["released"])).to.equal(1);
    expect(store.jobHistory(7n).map((h) => `${h.from}>${h.to}`)).to.deep.equal([
      "null>seen",
      "seen>claiming",
      "claiming>claimed",
      "claimed>released",
    ]);
  });

  it("reopens a skipped job the market reopened, and no other end", () => {
    store.createJob(8n, { provider: "0x0b" });
    store.advanceJob(8n, "seen", "skipped", { reason: "claimed by another provider" });
    expect(store.reopenJob(8n, { data: { provider: "0x00" }, reason: "released by 0x0b" })).to.equal(true);
    expect(store.getJob(8n)).to.deep.include({ step: "seen", reason: "released by 0x0b", data: { provider: "0x00" } });
    expect(store.jobHistory(8n).map((h) => `${h.from}>${h.to}`)).to.deep.equal([
      "null>seen",
      "seen>skipped",
      "skipped>seen",
    ]);
    expect(store.reopenJob(8n)).to.equal(false); // live: not reopened again
    store.createJob(9n);
    store.advanceJob(9n, "seen", "released");
    store.createJob(10n);
    store.advanceJob(10n, "seen", "failed");
    expect([store.reopenJob(9n), store.reopenJob(10n), store.reopenJob(11n)]).to.deep.equal([false, false, false]); // released, failed, never seen
  });

  it("counts the jobs in given steps through the step index, whatever else the table holds", () => {
    for (let id = 1n; id <= 50n; id++) store.createJob(id);
    for (const id of [1n, 2n, 3n]) store.advanceJob(id, "seen", "claiming");
    store.advanceJob(3n, "claiming", "claimed");
    for (let id = 10n; id <= 50n; id++) store.advanceJob(id, "seen", "skipped");
    expect(store.countJobsInSteps(["claiming", "claimed", "inferring"])).to.equal(3);
    expect(store.countJobsInSteps(["claiming"])).to.equal(2);
    expect(store.countJobsInSteps([])).to.equal(0);
    const plan = store.db
      .prepare("EXPLAIN QUERY PLAN SELECT COUNT(*) AS n FROM jobs WHERE step = ?")
      .all("claiming") as { detail: string }[];
    expect(plan.map((p) => p.detail).join(" ")).to.match(/USING COVERING INDEX jobs_by_step/);
  });

  it("lets exactly one of two connections win a race to advance the same job", () => {
    const other = openStore({ path: store.path });
    try {
      store.createJob(1n);
      const results = [store.advanceJob(1n, "seen", "claiming"), other.advanceJob(1n, "seen", "claiming")];
      expect(results.filter(Boolean)).to.have.length(1);
      expect(other.getJob(1n)?.version).to.equal(1);
    } finally {
      other.close();
    }
  });

  it("rolls back every write of a failed transaction", () => {
    expect(() =>
      store.transaction(() => {
        store.createJob(9n);
        store.recordEvent(event(1, 0));
        throw new Error("boom");
      }),
    ).to.throw("boom");
    expect(store.getJob(9n)).to.equal(undefined);
    expect(store.getEvent("0xb1", 0)).to.equal(undefined);
  });

  it("tracks transactions per intent and the next nonce per account", () => {
    const tx = {
      intent: "job:1:claim",
      account: "0xAbC",
      nonce: 4,
      maxFeePerGas: 10n,
      maxPriorityFeePerGas: 1n,
      raw: "0x02",
    };
    store.recordTx({ ...tx, hash: "0xh1" });
    store.recordTx({ ...tx, hash: "0xh2", maxFeePerGas: 12n });
    expect(store.pendingTxs("0xabc").map((t) => t.hash)).to.deep.equal(["0xh1", "0xh2"]);
    store.setTxStatus("0xh2", "mined", { blockNumber: 100n, gasUsed: 21000n, effectiveGasPrice: 9n });
    store.setTxStatus("0xh1", "replaced");
    expect(store.txsForIntent("job:1:claim").map((t) => [t.hash, t.status, t.gasUsed])).to.deep.equal([
      ["0xh1", "replaced", null],
      ["0xh2", "mined", 21000n],
    ]);
    expect(store.getNextNonce("0xABC")).to.equal(undefined);
    store.setNextNonce("0xABC", 5);
    expect(store.getNextNonce("0xabc")).to.equal(5);
  });
});
