/**
 * The worker's gate on verifiable jobs: each verifiable offer's engine runs the determinism self-test once it is
 * ready, in the background, and until that passes the pipeline leaves the model's verifiable jobs waiting
 * (`self-test-pending`). A failed self-test keeps them waiting and says why in the log and in /metrics.
 *
 * A passing result recorded for the same determinism class (selfTestRecord) is taken as it is: the engine and its
 * settings are the same, so is the answer.
 *
 * API: createSelfTestGate({ offers, engines, classes, record?, logger, onResult? }) — { passed(modelId), results(), settled }
 */
import type { Engine } from "../engines/types.ts";
import type { DeterminismClass } from "./determinismClass.ts";
import { runSelfTest, type SelfTestResult } from "./runSelfTest.ts";
import type { SelfTestRecord } from "./selfTestRecord.ts";

export type CreateSelfTestGateParameters = {
  offers: readonly { modelId: string; verifiable: boolean }[];
  /** Engines keyed by lower-case model id (createEngines). */
  engines: ReadonlyMap<string, Engine>;
  /** Each offer's determinism class, keyed by lower-case model id. */
  classes: ReadonlyMap<string, DeterminismClass>;
  record?: SelfTestRecord;
  logger: { info(o: object, m: string): void; error(o: object, m: string): void };
  onResult?: (modelId: string, result: SelfTestResult) => void;
};

export function createSelfTestGate({
  offers,
  engines,
  classes,
  record,
  logger,
  onResult,
}: CreateSelfTestGateParameters) {
  const results = new Map<string, SelfTestResult>();
  const settled = Promise.all(
    offers
      .filter((o) => o.verifiable)
      .map(async (o) => {
        const engine = engines.get(o.modelId.toLowerCase());
        const classId = classes.get(o.modelId.toLowerCase())?.id;
        if (!engine || !classId) return;
        try {
          const known = record?.get(classId);
          const result = known?.passed ? known : await runSelfTest({ engine });
          if (!known?.passed && result.passed) record?.set(classId, result);
          results.set(o.modelId.toLowerCase(), result);
          onResult?.(o.modelId, result);
          if (result.passed)
            logger.info(
              { modelId: o.modelId, compared: result.compared, seconds: result.seconds },
              "determinism self-test passed: taking verifiable jobs",
            );
          else
            logger.error(
              { modelId: o.modelId, mismatches: result.mismatches },
              "determinism self-test FAILED: verifiable jobs of this model are not taken",
            );
        } catch (error) {
          logger.error(
            { modelId: o.modelId, err: error },
            "determinism self-test could not run: verifiable jobs of this model are not taken",
          );
        }
      }),
  ).then(() => undefined);
  return {
    passed: (modelId: string) => results.get(modelId.toLowerCase())?.passed ?? false,
    results: () => new Map(results),
    settled,
  };
}
