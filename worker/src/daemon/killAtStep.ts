/**
 * Failure injection for the restart tests: OCTO_TEST_KILL_AT="<step>:<n>" makes the worker SIGKILL itself the n-th
 * time its sender reaches <step> (signed, recorded, broadcast), the points between which a crash is hardest to
 * recover from. Unset, it does nothing; a malformed value stops the worker at start rather than being ignored.
 */
import type { SendStep } from "../sender/createSender.ts";

const STEPS: readonly SendStep[] = ["signed", "recorded", "broadcast"];

export function killAtStep(value: string | undefined): ((step: SendStep) => void) | undefined {
  if (!value) return undefined;
  const [step, count] = value.split(":");
  const n = Number(count);
  if (!STEPS.includes(step as SendStep) || !Number.isInteger(n) || n < 1)
    throw new Error(`OCTO_TEST_KILL_AT must be <${STEPS.join("|")}>:<n ≥ 1>, got "${value}"`);
  let seen = 0;
  return (reached) => {
    if (reached === step && ++seen === n) process.kill(process.pid, "SIGKILL");
  };
}
