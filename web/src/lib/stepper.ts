// The job's progress as the stepper shows it (created → claimed → generating → proving → submitted → final), from
// what the page has seen: the chain's status and events, and the provider's live stream.
import type { JobStatusName } from "@octo/sdk";

export const STEPS = ["created", "claimed", "generating", "proving", "submitted", "final"] as const;
export type Step = (typeof STEPS)[number];
export type Progress = {
  step: Step;
  ended?: "cancelled" | "timedOut" | "refunded" | "slashed" | "disputed" | undefined;
};

export type Seen = { status: JobStatusName | undefined; pieces: number; streamEnded: boolean };

/** The furthest step reached. Generating and proving are only seen on the stream; without it the stepper goes from
 *  claimed straight to submitted when the result lands. */
export function progressOf({ status, pieces, streamEnded }: Seen): Progress {
  switch (status) {
    case "Finalized":
      return { step: "final" };
    case "Submitted":
      return { step: "submitted" };
    case "Disputed":
      return { step: "submitted", ended: "disputed" };
    case "Cancelled":
      return { step: "created", ended: "cancelled" };
    case "TimedOut":
      return { step: "claimed", ended: "timedOut" };
    case "Refunded":
      return { step: "submitted", ended: "refunded" };
    case "Slashed":
      return { step: "submitted", ended: "slashed" };
    case "Claimed":
      return { step: streamEnded ? "proving" : pieces > 0 ? "generating" : "claimed" };
    default:
      return { step: "created" };
  }
}
