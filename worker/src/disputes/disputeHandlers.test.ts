import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zeroAddress, zeroHash, type Address } from "viem";
import type { MarketEvent } from "../pipeline/marketHandlers.ts";
import { disputeDuties } from "../store/disputeDuties.ts";
import type { JobStep } from "../store/jobSteps.ts";
import { openStore, type Store } from "../store/openStore.ts";
import { disputeHandlers } from "./disputeHandlers.ts";

const me: Address = "0x00000000000000000000000000000000000000aa";
const others: Address[] = [
  "0x00000000000000000000000000000000000000b1",
  "0x00000000000000000000000000000000000000b2",
  "0x00000000000000000000000000000000000000b3",
];
const disputed = (jobId: bigint, committee: readonly Address[]): MarketEvent<"JobDisputed"> => ({
  contract: "JobMarket",
  address: zeroAddress,
  eventName: "JobDisputed",
  args: { jobId, disputer: zeroAddress, committee, disputeEnd: 0 },
  blockNumber: 1n,
  blockHash: zeroHash,
  logIndex: 0,
  transactionHash: zeroHash,
});

describe("disputes/disputeHandlers (JobDisputed)", () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "octo-disputes-"));
    store = openStore({ path: join(dir, "worker.db") });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A job of ours that reached `step` along the pipeline's own moves. */
  const jobAt = (jobId: bigint, step: JobStep) => {
    store.createJob(jobId, {});
    const path: JobStep[] = [
      "seen",
      "claiming",
      "claimed",
      "inferring",
      "inferred",
      "proving",
      "proved",
      "submitting",
      "submitted",
      "finalizing",
    ];
    for (let i = 0; path[i] !== step; i++) store.advanceJob(jobId, path[i]!, path[i + 1]!);
  };

  for (const step of ["submitting", "submitted", "finalizing"] as const) {
    it(`owes a reveal for our result disputed while the job is ${step}`, () => {
      jobAt(5n, step);
      const duties = disputeDuties(store);
      disputeHandlers({ store, duties, me }).JobDisputed(disputed(5n, others));
      expect(duties.get(5n)).to.deep.include({ role: "accused", step: "open", data: { committee: others } });
    });
  }

  it("owes a vote when drawn to the committee", () => {
    const duties = disputeDuties(store);
    disputeHandlers({ store, duties, me }).JobDisputed(disputed(6n, [others[0]!, me, others[1]!]));
    expect(duties.get(6n)).to.deep.include({ role: "member", step: "open" });
  });

  it("owes nothing for a job it never submitted and a committee it is not on", () => {
    jobAt(7n, "claimed");
    const duties = disputeDuties(store);
    disputeHandlers({ store, duties, me }).JobDisputed(disputed(7n, others));
    disputeHandlers({ store, duties, me }).JobDisputed(disputed(8n, others));
    expect(duties.get(7n)).to.equal(undefined);
    expect(duties.get(8n)).to.equal(undefined);
  });
});
