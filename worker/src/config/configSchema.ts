/**
 * The worker config file (JSON), as a zod schema. Every field's error message says how to fix it.
 *
 * ```json
 * {
 *   "chainId": 31337,
 *   "rpcUrls": ["http://127.0.0.1:8545", "https://backup.example/rpc"],
 *   "deployments": "../deployments/31337.json",
 *   "key": { "file": "./provider.key" },
 *   "confirmations": 2,
 *   "pollIntervalMs": 2000,
 *   "dataDir": "./data",
 *   "models": [{
 *     "modelId": "0x…32 bytes…",
 *     "engine": { "kind": "llamaCpp", "modelPath": "./model.gguf", "threads": 4, "gpuLayers": 0, "contextSize": 4096 },
 *     "paymentToken": "0x…20 bytes…",
 *     "pricePerToken": "1000000000000",
 *     "maxContext": 4096
 *   }],
 *   "capacity": 1,
 *   "ops": { "host": "127.0.0.1", "port": 9464 },
 *   "stream": { "host": "0.0.0.0", "port": 8787 }
 * }
 * ```
 * Relative paths are resolved against the config file's folder by `loadConfig`.
 */
import { z } from "zod";

const URL_HINT = 'must be an http(s) or ws(s) URL — e.g. "http://127.0.0.1:8545"';
const rpcUrl = z.string({ error: URL_HINT }).refine(
  (value) => {
    try {
      return ["http:", "https:", "ws:", "wss:"].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { error: URL_HINT },
);

const int = (min: number, hint: string) =>
  z
    .number({ error: `must be a whole number ≥ ${min} — ${hint}` })
    .int({ error: `must be a whole number ≥ ${min} — ${hint}` })
    .min(min, { error: `must be a whole number ≥ ${min} — ${hint}` });

const PORT_HINT = "must be a TCP port 0–65535 (0 = any free port) — e.g. 9464";
const port = z
  .number({ error: PORT_HINT })
  .int({ error: PORT_HINT })
  .min(0, { error: PORT_HINT })
  .max(65535, { error: PORT_HINT });

const path = (hint: string) =>
  z.string({ error: `must be a file path — ${hint}` }).min(1, { error: `must not be empty — ${hint}` });

/** Amounts in the payment token's smallest unit, written as a decimal string (JSON numbers lose precision past 2^53). */
const wei = z
  .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()], {
    error: 'must be a whole amount in the token\'s smallest unit, as a decimal string — e.g. "1000000000000"',
  })
  .transform((value) => BigInt(value));

const gwei = z
  .number({ error: "must be a number of gwei — e.g. 300" })
  .positive({ error: "must be > 0 gwei — e.g. 300" });

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, {
  error: "must be the model id from the ModelRegistry: 0x followed by 64 hex digits",
});

export const keySourceSchema = z.union(
  [
    z.strictObject({
      /** A file holding a 0x-prefixed private key or a V3 JSON keystore; must be mode 0600. */
      file: path('e.g. "./provider.key" (chmod 600)'),
      /** For a keystore: the environment variable that holds its password. */
      passwordEnv: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
        .optional(),
    }),
    z.strictObject({
      /** The name of an environment variable holding a 0x-prefixed private key. */
      env: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name — e.g. "OCTO_PRIVATE_KEY"' }),
    }),
  ],
  {
    error:
      'must be { "file": "<path to a 0600 key file or keystore>" } or { "env": "<VARIABLE_NAME>" } — never the key itself',
  },
);

export const llamaCppEngineSchema = z.strictObject({
  kind: z.literal("llamaCpp"),
  modelPath: path('the GGUF file, e.g. "./models/model.gguf"'),
  threads: int(1, "e.g. 4").optional(),
  gpuLayers: z.union([int(0, "e.g. 0 for CPU, 99 for all layers on the GPU"), z.literal("auto")]).default(0),
  contextSize: int(16, "e.g. 4096").default(4096),
  /**
   * CPUs the engine process is pinned to (taskset list: "0", "2-3", "0,4-7"; Linux). Recommended for CPU inference:
   * the engine stays on its cores instead of migrating as other threads wake. Pinning the engine does not keep other
   * processes off those cores; start the worker itself on the others for that (ENGINES.md).
   */
  cpus: z
    .string()
    .regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, { error: 'must be a CPU list for taskset — e.g. "0", "2-3" or "0,4-7"' })
    .optional(),
});

export const vllmEngineSchema = z.strictObject({
  kind: z.literal("vllm"),
  /** Hugging Face id or local path passed to `vllm serve`. */
  model: z.string().min(1, { error: 'must name the model for `vllm serve` — e.g. "meta-llama/Llama-3.1-8B-Instruct"' }),
  port: port,
  tensorParallel: int(1, "the GPUs per host, e.g. 2").default(1),
  pipelineParallel: int(1, "the hosts, e.g. 2 (needs rayAddress)").default(1),
  rayAddress: z.string().min(1).optional(),
  gpuMemoryUtilization: z
    .number({ error: "must be a fraction in (0, 1] — e.g. 0.9" })
    .gt(0, { error: "must be a fraction in (0, 1] — e.g. 0.9" })
    .max(1, { error: "must be a fraction in (0, 1] — e.g. 0.9" })
    .default(0.9),
  extraArgs: z.array(z.string()).default([]),
});

export const engineSchema = z.discriminatedUnion("kind", [llamaCppEngineSchema, vllmEngineSchema], {
  error: 'must have "kind": "llamaCpp" or "vllm"',
});

export const modelOfferSchema = z.strictObject({
  modelId: hex32,
  /** A label for logs and metrics. */
  name: z.string().min(1).optional(),
  engine: engineSchema,
  /** The allow-listed ERC20 the price is quoted in. */
  paymentToken: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, { error: "must be the payment token's address — 0x followed by 40 hex digits" })
    .transform((value) => value as `0x${string}`),
  /** The lowest price per output token this worker accepts (payment token's smallest unit). */
  pricePerToken: wei,
  maxContext: int(1, "the prompt + output tokens the engine can hold, e.g. 4096"),
  /**
   * Take verifiable jobs (greedy, re-run by a committee when disputed). Needs an engine whose busy output equals a
   * run alone: llama.cpp with a known thread count, or vLLM with batch-invariant kernels (GPU compute capability ≥ 8.0);
   * the worker refuses to start otherwise, and claims verifiable jobs only once its self-test has passed.
   */
  verifiable: z.boolean().default(true),
});

const listener = (defaultPort: number) =>
  z.strictObject({ host: z.string().min(1).default("127.0.0.1"), port: port.default(defaultPort) }).default({
    host: "127.0.0.1",
    port: defaultPort,
  });

export const configSchema = z
  .strictObject({
    chainId: int(1, "e.g. 31337 (local), 80002 (Polygon Amoy), 137 (Polygon PoS)"),
    rpcUrls: z
      .array(rpcUrl, { error: 'must be a list of RPC URLs — e.g. ["http://127.0.0.1:8545"]' })
      .min(1, { error: 'needs at least one RPC URL — e.g. ["http://127.0.0.1:8545"]' }),
    deployments: path('the deployments file written by the deploy script, e.g. "../deployments/31337.json"'),
    key: keySourceSchema,
    confirmations: int(0, "blocks to wait before handling an event, e.g. 2 (Polygon PoS: 32)").default(2),
    pollIntervalMs: int(50, "e.g. 2000").default(2000),
    maxBlockRange: int(1, "blocks per eth_getLogs call, e.g. 2000").default(2000),
    dataDir: path('a writable folder for the SQLite database, e.g. "./data"'),
    models: z.array(modelOfferSchema, { error: "must be a list of model offers" }).default([]),
    capacity: int(1, "jobs served at once, e.g. 1").default(1),
    /** A job is claimed only this far from its deadline, and handed back when its engine is still down this close to
     *  it: the time a job needs from claim to mined result (inference, proving, inclusion) with a margin. */
    minSecondsToDeadline: int(1, "seconds a job needs from claim to result, e.g. 600 for a large model").default(60),
    ops: listener(9464),
    stream: listener(8787),
    /** The Groth16 proving key: the committed development key unless set. A network's market verifies only proofs of
     *  its ceremony's key (docs/ceremony.md); the worker checks the key against the market's verifier at start. */
    prover: z
      .strictObject({
        zkey: path('the proving key of the market\'s verifier, e.g. "./keys/amoy.zkey" from its ceremony').optional(),
      })
      .default({}),
    fees: z
      .strictObject({
        /** Hard cap on maxFeePerGas; a send that would need more waits instead of overpaying. */
        maxFeePerGasGwei: gwei.default(500),
        maxPriorityFeePerGasGwei: gwei.default(50),
        /** A transaction not mined after this long is re-sent with the same nonce and fees bumped ≥ 12.5 %. */
        replaceAfterMs: int(1000, "e.g. 60000").default(60_000),
        /** Give up waiting for a receipt after this long (the tx stays tracked in the store). */
        receiptTimeoutMs: int(1000, "e.g. 600000").default(600_000),
      })
      .default({
        maxFeePerGasGwei: 500,
        maxPriorityFeePerGasGwei: 50,
        replaceAfterMs: 60_000,
        receiptTimeoutMs: 600_000,
      }),
    logLevel: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "must be one of fatal, error, warn, info, debug, trace, silent",
      })
      .default("info"),
  })
  .superRefine((config, ctx) => {
    config.models.forEach((model, i) => {
      if (model.engine.kind === "vllm" && model.engine.pipelineParallel > 1 && !model.engine.rayAddress)
        ctx.addIssue({
          code: "custom",
          path: ["models", i, "engine", "rayAddress"],
          message: 'is required when pipelineParallel > 1 — the Ray head, e.g. "10.0.0.2:6379"',
        });
      if (model.engine.kind === "llamaCpp" && model.maxContext > model.engine.contextSize)
        ctx.addIssue({
          code: "custom",
          path: ["models", i, "maxContext"],
          message: `must be ≤ engine.contextSize (${model.engine.contextSize}) — lower it or raise contextSize`,
        });
    });
    const ids = config.models.map((m) => m.modelId.toLowerCase());
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({
          code: "custom",
          path: ["models", i, "modelId"],
          message: "is offered twice — keep one entry per model",
        });
    });
  });

/** The validated worker config (paths absolute, amounts bigint). */
export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type KeySource = Config["key"];
export type ModelOffer = Config["models"][number];
export type EngineConfig = ModelOffer["engine"];
