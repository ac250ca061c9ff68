import { describe, expect, it } from "vitest";
import { progressOf } from "./stepper.ts";

describe("progressOf", () => {
  it("follows a job from creation to final", () => {
    expect(progressOf({ status: "Open", pieces: 0, streamEnded: false })).toEqual({ step: "created" });
    expect(progressOf({ status: "Claimed", pieces: 0, streamEnded: false })).toEqual({ step: "claimed" });
    expect(progressOf({ status: "Claimed", pieces: 3, streamEnded: false })).toEqual({ step: "generating" });
    expect(progressOf({ status: "Claimed", pieces: 3, streamEnded: true })).toEqual({ step: "proving" });
    expect(progressOf({ status: "Submitted", pieces: 3, streamEnded: true })).toEqual({ step: "submitted" });
    expect(progressOf({ status: "Finalized", pieces: 0, streamEnded: false })).toEqual({ step: "final" });
  });
  it("says where and how a job stopped", () => {
    expect(progressOf({ status: "Cancelled", pieces: 0, streamEnded: false })).toEqual({
      step: "created",
      ended: "cancelled",
    });
    expect(progressOf({ status: "TimedOut", pieces: 0, streamEnded: false })).toEqual({
      step: "claimed",
      ended: "timedOut",
    });
    expect(progressOf({ status: "Disputed", pieces: 0, streamEnded: false })).toEqual({
      step: "submitted",
      ended: "disputed",
    });
  });
});
