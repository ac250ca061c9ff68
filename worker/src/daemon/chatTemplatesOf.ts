// The chat template of each configured model served from a GGUF file, by lower-case model id: what the pipeline and
// the dispute duty render chat jobs with. A model served by vLLM has no GGUF here and keeps the sdk's fixed template
// (its registered spec names its engine, so every party serving it does the same).
import type { ChatTemplate } from "@octo/sdk";
import type { Config } from "../config/configSchema.ts";
import { chatTemplateFromGguf } from "../models/chatTemplateFromGguf.ts";

export async function chatTemplatesOf(config: Pick<Config, "models">): Promise<Map<string, ChatTemplate>> {
  const templates = new Map<string, ChatTemplate>();
  for (const m of config.models) {
    if (m.engine.kind !== "llamaCpp") continue;
    const template = await chatTemplateFromGguf({ path: m.engine.modelPath });
    if (template) templates.set(m.modelId.toLowerCase(), template);
  }
  return templates;
}
