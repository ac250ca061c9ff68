// The job's stepper (created → claimed → generating → proving → submitted → final): the steps passed, the one it is
// at, or where it stopped and why. Pure layout of `progressOf`'s answer.
import { type Progress, STEPS } from "../lib/stepper.ts";

const ENDED: Record<NonNullable<Progress["ended"]>, string> = {
  cancelled: "it was cancelled and the escrow refunded",
  timedOut: "the provider missed its deadline",
  refunded: "it was refunded",
  slashed: "the provider was found at fault and slashed",
  disputed: "its result is disputed",
};

export function JobStepper({ progress }: { progress: Progress }) {
  const { step, ended } = progress;
  const at = STEPS.indexOf(step);
  return (
    <>
      <ol className="stepper" data-testid="stepper" data-step={step}>
        {STEPS.map((s, i) => (
          <li key={s} className={i < at ? "done" : i === at ? (ended ? "stopped" : "current") : ""}>
            {s}
          </li>
        ))}
      </ol>
      {ended && <p className="notice warn">This job ended: {ENDED[ended]}.</p>}
    </>
  );
}
