import { expect } from "chai";
import { JobStatus } from "@octo/sdk";
import { zeroAddress, type Address } from "viem";
import { afterFailedRelease, afterFailedSubmit, afterResultReorged, isClaimedBy } from "./reconcile.ts";

const ME: Address = "0x00000000000000000000000000000000000000aA";
const OTHER: Address = "0x00000000000000000000000000000000000000bb";
// The chain returns checksummed addresses; the worker's own may be lower case: they are the same address.
const meLower = ME.toLowerCase() as Address;

describe("pipeline/reconcile", () => {
  describe("isClaimedBy", () => {
    it("is true for a job the market holds as claimed by us, whatever the address's letter case", () => {
      expect(isClaimedBy({ status: JobStatus.Claimed, provider: meLower }, ME)).to.equal(true);
    });

    it("is false for a job claimed by another provider", () => {
      expect(isClaimedBy({ status: JobStatus.Claimed, provider: OTHER }, ME)).to.equal(false);
    });

    it("is false for a job of ours that is past the claim (submitted)", () => {
      expect(isClaimedBy({ status: JobStatus.Submitted, provider: ME }, ME)).to.equal(false);
    });
  });

  describe("afterFailedRelease", () => {
    it("keeps a job the market still has claimed by us", () => {
      expect(afterFailedRelease({ status: JobStatus.Claimed, provider: ME }, ME)).to.equal("still-ours");
    });

    it("lets go of a job that timed out", () => {
      expect(afterFailedRelease({ status: JobStatus.TimedOut, provider: ME }, ME)).to.equal("moved-on");
    });
  });

  describe("afterFailedSubmit", () => {
    it("takes a result of ours already on-chain as submitted", () => {
      expect(afterFailedSubmit({ status: JobStatus.Submitted, provider: ME }, ME, 1)).to.equal("submitted");
      expect(afterFailedSubmit({ status: JobStatus.Finalized, provider: ME }, ME, 3)).to.equal("submitted");
    });

    it("sends a job of a failed batch again on its own while it is still ours", () => {
      expect(afterFailedSubmit({ status: JobStatus.Claimed, provider: ME }, ME, 2)).to.equal("alone");
    });

    it("fails a job sent alone that is still claimed by us (its own result reverts)", () => {
      expect(afterFailedSubmit({ status: JobStatus.Claimed, provider: ME }, ME, 1)).to.equal("failed");
    });

    it("claims again a job a reorg reopened", () => {
      expect(afterFailedSubmit({ status: JobStatus.Open, provider: zeroAddress }, ME, 1)).to.equal("claim-again");
    });

    it("fails a job another provider holds", () => {
      expect(afterFailedSubmit({ status: JobStatus.Claimed, provider: OTHER }, ME, 2)).to.equal("failed");
    });
  });

  describe("afterResultReorged", () => {
    it("claims again and resubmits a job the reorg reopened", () => {
      expect(afterResultReorged({ status: JobStatus.Open, provider: zeroAddress }, ME)).to.equal("claim-again");
    });

    it("resubmits while the claim is still ours", () => {
      expect(afterResultReorged({ status: JobStatus.Claimed, provider: ME }, ME)).to.equal("submit");
    });

    it("gives up a job another provider now holds", () => {
      expect(afterResultReorged({ status: JobStatus.Claimed, provider: OTHER }, ME)).to.equal("lost");
    });
  });
});
