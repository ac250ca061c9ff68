// Entry module of the llama.cpp engine's process (see createLlamaCppProcessEngine).
import { createLlamaCppEngine, type CreateLlamaCppEngineParameters } from "../createLlamaCppEngine.ts";
import { serveEngineInChild } from "./serveEngineInChild.ts";

/** The engine's parameters less its callbacks, which cannot cross into another process. */
export type LlamaCppChildOptions = Omit<CreateLlamaCppEngineParameters, "onLoadProgress" | "metrics">;

await serveEngineInChild<LlamaCppChildOptions>((options, hooks) => createLlamaCppEngine({ ...options, ...hooks }));
