import type { Address } from "viem";
import type { JobEvent } from "@octo/sdk";
import { describe, expect, it } from "vitest";
import { canDecide, disputeProgress } from "./disputeProgress.ts";

const USER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address;
const PROVIDER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as Address;
const MEMBERS = [
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
] as Address[];

// Events as parseEventLogs decodes them; only the fields the page reads.
const event = (eventName: string, args: Record<string, unknown>) => ({ eventName, args }) as unknown as JobEvent;
const opened = event("DisputeOpened", { jobId: 1n, disputer: USER, drawBlock: 42n });
const drawn = (members: Address[]) =>
  event("JobDisputed", { jobId: 1n, disputer: USER, committee: members, disputeEnd: 1_700_000_000 });
const vote = (validator: Address, providerAtFault: boolean) =>
  event("DisputeVoted", { jobId: 1n, validator, providerAtFault });

describe("disputeProgress", () => {
  it("is undefined for a job never disputed", () => {
    expect(disputeProgress([event("JobCreated", { jobId: 1n })])).toBeUndefined();
  });

  it("follows a dispute from its commitment to the committee, the reveal and the votes", () => {
    expect(disputeProgress([opened])).toEqual({ drawBlock: 42n, revealedBy: [], votes: [] });
    const events = [opened, drawn(MEMBERS), event("JobSecretRevealed", { jobId: 1n, revealer: PROVIDER })];
    expect(disputeProgress([...events, vote(MEMBERS[0]!, false)])).toEqual({
      drawBlock: 42n,
      committee: { members: MEMBERS, disputeEnd: 1_700_000_000 },
      revealedBy: [PROVIDER],
      votes: [{ validator: MEMBERS[0], providerAtFault: false }],
    });
  });

  it("ends for the provider when the job is finalized, for the user when the provider is slashed", () => {
    const votes = [vote(MEMBERS[0]!, false), vote(MEMBERS[1]!, false)];
    expect(disputeProgress([opened, drawn(MEMBERS), ...votes, event("JobFinalized", {})])?.outcome).toBe("provider");
    const fault = [vote(MEMBERS[0]!, true), vote(MEMBERS[1]!, true)];
    expect(disputeProgress([opened, drawn(MEMBERS), ...fault, event("JobSlashed", {})])?.outcome).toBe("user");
  });

  it("says a committee of fewer than a quorum cannot decide", () => {
    expect(canDecide(disputeProgress([opened, drawn(MEMBERS)])!)).toBe(true);
    expect(canDecide(disputeProgress([opened, drawn([MEMBERS[0]!])])!)).toBe(false);
    expect(canDecide(disputeProgress([opened])!)).toBe(false);
  });
});
