import { describe, expect, it } from "vitest";
import { expiryOf } from "./deadline.ts";

const deadline = 1_700_000_000;

describe("expiryOf", () => {
  it("an open job past its deadline is to be cancelled", () => {
    expect(expiryOf({ status: "Open", deadline, now: deadline + 1 })).toEqual({ expired: true, action: "cancel" });
  });
  it("a claimed job past its deadline is to be reclaimed", () => {
    expect(expiryOf({ status: "Claimed", deadline, now: deadline + 60 })).toEqual({
      expired: true,
      action: "reclaim",
    });
  });
  it("is not expired until strictly past the deadline, as the market requires", () => {
    expect(expiryOf({ status: "Open", deadline, now: deadline - 1 })).toEqual({ expired: false });
    expect(expiryOf({ status: "Claimed", deadline, now: deadline })).toEqual({ expired: false });
  });
  it("a job with a result, or already ended, has nothing left to reclaim", () => {
    for (const status of ["Submitted", "Disputed", "Finalized", "Cancelled", "TimedOut", "Refunded"] as const)
      expect(expiryOf({ status, deadline, now: deadline + 3600 }), status).toEqual({ expired: false });
    expect(expiryOf({ status: undefined, deadline, now: deadline + 3600 })).toEqual({ expired: false });
  });
});
