// The registry's active models under readable ids: a model's spec name ("octo-tiny"), or name@<first 8 hex digits of
// its id> when two active models share a name. A request may also name a model by its full id. Read from the chain
// and kept a few seconds, since every request looks its model up.
import type { Hex } from "viem";
import type { Model } from "@octo/sdk";
import { GatewayError } from "../errors/GatewayError.ts";
import type { Market } from "./connectMarket.ts";

export type CatalogModel = Model & { id: string };

export function modelCatalog(market: Market, { ttlMs = 5_000 }: { ttlMs?: number } = {}) {
  let cached: { at: number; models: Promise<CatalogModel[]> } | undefined;
  const load = async (): Promise<CatalogModel[]> => {
    const models = await market.client.listModels();
    const count = new Map<string, number>();
    for (const m of models) count.set(m.name, (count.get(m.name) ?? 0) + 1);
    return models.map((m) => ({ ...m, id: count.get(m.name) === 1 ? m.name : `${m.name}@${m.modelId.slice(2, 10)}` }));
  };
  const list = (): Promise<CatalogModel[]> => {
    if (!cached || Date.now() - cached.at > ttlMs) {
      const models = load();
      cached = { at: Date.now(), models };
      models.catch(() => (cached = undefined));
    }
    return cached.models;
  };
  return {
    list,
    /** The active model a request names; 404 when there is none. */
    async resolve(name: string): Promise<CatalogModel> {
      const models = await list();
      const found = models.find((m) => m.id === name || m.modelId.toLowerCase() === (name.toLowerCase() as Hex));
      if (!found)
        throw new GatewayError(`the model '${name}' does not exist or is not active (GET /v1/models lists them)`, {
          status: 404,
          type: "not_found_error",
          code: "model_not_found",
          param: "model",
        });
      return found;
    },
  };
}

export type ModelCatalog = ReturnType<typeof modelCatalog>;
