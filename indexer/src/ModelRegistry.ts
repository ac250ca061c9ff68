// The ModelRegistry: models as listed, with their minimum tier and status. Their totals come from job events.
import { ponder } from "ponder:registry";
import { model } from "ponder:schema";
import { ModelStatusNames } from "@octo/sdk";

ponder.on("ModelRegistry:ModelRegistered", async ({ event, context }) => {
  const { modelId, spec, minTier } = event.args;
  await context.db.insert(model).values({
    id: modelId,
    name: spec.name,
    weightsDigest: spec.weightsDigest,
    quantization: spec.quantization,
    engine: spec.engine,
    minTier,
    status: "Active",
    jobs: 0,
    tokens: 0n,
    volume: 0n,
    disputes: 0,
    slashes: 0,
    registeredBlock: event.block.number,
    registeredAt: event.block.timestamp,
  });
});

ponder.on("ModelRegistry:ModelMinTierChanged", async ({ event, context }) => {
  await context.db.update(model, { id: event.args.modelId }).set({ minTier: event.args.newMinTier });
});

ponder.on("ModelRegistry:ModelStatusChanged", async ({ event, context }) => {
  const { modelId, newStatus } = event.args;
  await context.db.update(model, { id: modelId }).set({ status: ModelStatusNames[newStatus] ?? String(newStatus) });
});
