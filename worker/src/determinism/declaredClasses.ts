/**
 * The determinism class each offer declares on-chain (`setOffer`), read from its engine as configured and running:
 * the engine is started, asked for its build, and stopped. The registry draws a verifiable job's committee from the
 * accused's class, so a class typed in by hand could put a provider before validators that cannot reproduce it.
 *
 * API: declaredClasses({ models, logger }): Map<lower-case model id, class id (bytes32)>
 */
import type { Hex } from "viem";
import type { ModelOffer } from "../config/configSchema.ts";
import { createEngines } from "../daemon/createEngines.ts";
import type { EngineLogger } from "../engines/types.ts";
import { offerClass } from "./offerClass.ts";
import { readGpus } from "./readGpus.ts";

export type DeclaredClassesParameters = { models: readonly ModelOffer[]; logger: EngineLogger };

export async function declaredClasses({ models, logger }: DeclaredClassesParameters): Promise<Map<string, Hex>> {
  const gpus = models.some((m) => m.engine.kind === "vllm") ? readGpus() : [];
  const engines = await createEngines({ models, logger, gpus });
  try {
    const classes = new Map<string, Hex>();
    for (const m of models) {
      const key = m.modelId.toLowerCase();
      classes.set(key, offerClass(m, { info: engines.get(key)!.info(), gpus }).id);
    }
    return classes;
  } finally {
    await Promise.allSettled([...engines.values()].map((e) => e.stop()));
  }
}
