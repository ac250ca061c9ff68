/**
 * The job pipeline as a state machine. Steps advance in order; a step may fall back one step (its work failed or a
 * reorg removed its effect, so it is retried); any live step may end as released, failed or skipped. Ends are final
 * for `advanceJob`; the one way back is `reopenJob`, for a skipped job the market has reopened.
 */
export const JOB_STEPS = [
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
  "done",
] as const;
export const JOB_ENDS = ["released", "failed", "skipped"] as const;

export type JobStep = (typeof JOB_STEPS)[number] | (typeof JOB_ENDS)[number];

export function isFinalStep(step: JobStep): boolean {
  return step === "done" || (JOB_ENDS as readonly string[]).includes(step);
}

export function canAdvance(from: JobStep, to: JobStep): boolean {
  if (isFinalStep(from)) return false;
  if ((JOB_ENDS as readonly string[]).includes(to)) return true;
  const i = (JOB_STEPS as readonly string[]).indexOf(from);
  const j = (JOB_STEPS as readonly string[]).indexOf(to);
  return j === i + 1 || j === i - 1;
}
