/**
 * Loads and validates the worker config: the JSON file, then `OCTO_*` environment overrides, then the zod schema.
 *
 * API:
 *   loadConfig({ path?, env? }): Config            — throws ConfigError naming each bad field and its fix
 *   CONFIG_ENV_VARS                                 — the OCTO_* variables and the field each one sets
 *
 * The file is `path`, else `$OCTO_CONFIG`. Relative paths in the file resolve against the file's folder; relative
 * paths from the environment resolve against the working directory. The key itself is never read here (see
 * `loadAccount`), and no error message ever contains a config value.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { z } from "zod";
import { ConfigError, type ConfigIssue } from "./ConfigError.ts";
import { type Config, configSchema } from "./configSchema.ts";

export type LoadConfigParameters = {
  /** The JSON config file. Default: `env.OCTO_CONFIG`. */
  path?: string | undefined;
  /** Default: `process.env`. */
  env?: Record<string, string | undefined> | undefined;
};
export type LoadConfigReturnType = Config;
export type LoadConfigErrorType = ConfigError;

type EnvVar = { name: string; path: string; parse: "number" | "string" | "list" };

/** Each OCTO_* variable and the config field it overrides. */
export const CONFIG_ENV_VARS: readonly EnvVar[] = [
  { name: "OCTO_CHAIN_ID", path: "chainId", parse: "number" },
  { name: "OCTO_RPC_URLS", path: "rpcUrls", parse: "list" },
  { name: "OCTO_DEPLOYMENTS", path: "deployments", parse: "string" },
  { name: "OCTO_KEY_FILE", path: "key.file", parse: "string" },
  { name: "OCTO_KEY_PASSWORD_ENV", path: "key.passwordEnv", parse: "string" },
  { name: "OCTO_KEY_ENV", path: "key.env", parse: "string" },
  { name: "OCTO_CONFIRMATIONS", path: "confirmations", parse: "number" },
  { name: "OCTO_POLL_INTERVAL_MS", path: "pollIntervalMs", parse: "number" },
  { name: "OCTO_MAX_BLOCK_RANGE", path: "maxBlockRange", parse: "number" },
  { name: "OCTO_DATA_DIR", path: "dataDir", parse: "string" },
  { name: "OCTO_CAPACITY", path: "capacity", parse: "number" },
  { name: "OCTO_MIN_SECONDS_TO_DEADLINE", path: "minSecondsToDeadline", parse: "number" },
  { name: "OCTO_OPS_HOST", path: "ops.host", parse: "string" },
  { name: "OCTO_OPS_PORT", path: "ops.port", parse: "number" },
  { name: "OCTO_STREAM_HOST", path: "stream.host", parse: "string" },
  { name: "OCTO_STREAM_PORT", path: "stream.port", parse: "number" },
  { name: "OCTO_MAX_FEE_GWEI", path: "fees.maxFeePerGasGwei", parse: "number" },
  { name: "OCTO_LOG_LEVEL", path: "logLevel", parse: "string" },
];

const SECRET_FIELDS = /^(private_?key|privkey|mnemonic|seed|secret|password)$/i;

export function loadConfig(parameters: LoadConfigParameters = {}): LoadConfigReturnType {
  const env = parameters.env ?? process.env;
  const file = parameters.path ?? env.OCTO_CONFIG;
  if (!file)
    throw new ConfigError([
      {
        path: "",
        message: "no config file given — pass --config <file> or set OCTO_CONFIG (create one with `octo-worker init`)",
      },
    ]);
  const source = resolve(file);
  let text: string;
  try {
    text = readFileSync(source, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ConfigError(
      [{ path: "", message: `cannot read ${source} (${code}) — check the path or run \`octo-worker init\`` }],
      {
        source,
        cause: error,
      },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ path: "", message: `is not valid JSON (${(error as Error).message}) — fix the syntax` }], {
      source,
    });
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ConfigError([{ path: "", message: 'must be a JSON object — e.g. { "chainId": 31337, … }' }], { source });

  const input = raw as Record<string, unknown>;
  const fromEnv = new Map<string, string>();
  const pathsFromEnv = new Set<string>();
  for (const v of CONFIG_ENV_VARS) {
    const value = env[v.name];
    if (value === undefined || value === "") continue;
    if (v.path.startsWith("key.")) {
      // A key source from the environment replaces the file's key source as a whole.
      const current = input.key as Record<string, unknown> | undefined;
      const keepPassword =
        v.path === "key.file" && current && "passwordEnv" in current ? { passwordEnv: current.passwordEnv } : {};
      if (v.path === "key.passwordEnv") input.key = { ...(current ?? {}), passwordEnv: value };
      else input.key = { [v.path.slice(4)]: value, ...keepPassword };
    } else setPath(input, v.path, parseEnv(value, v.parse));
    fromEnv.set(v.path, v.name);
    if (v.parse === "string") pathsFromEnv.add(v.path);
  }

  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(toIssues(result.error.issues, fromEnv, input), { source });
  const config = result.data;

  const base = dirname(source);
  const abs = (field: string, p: string) =>
    isAbsolute(p) ? p : resolve(pathsFromEnv.has(field) ? process.cwd() : base, p);
  config.deployments = abs("deployments", config.deployments);
  config.dataDir = abs("dataDir", config.dataDir);
  if ("file" in config.key) config.key.file = abs("key.file", config.key.file);
  for (const model of config.models)
    if (model.engine.kind === "llamaCpp") model.engine.modelPath = abs("", model.engine.modelPath);
  return config;
}

function parseEnv(value: string, kind: EnvVar["parse"]): unknown {
  if (kind === "list") return value.split(/[\s,]+/).filter(Boolean);
  if (kind === "number" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return value;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** `['models', 0, 'engine']` → `models[0].engine`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}

function toIssues(issues: readonly z.core.$ZodIssue[], fromEnv: Map<string, string>, input: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = formatPath([...issue.path, key]);
        out.push({
          path,
          message: SECRET_FIELDS.test(key)
            ? 'a secret must never be in the config file — use "key": { "file": "<0600 file>" } or { "env": "<VARIABLE>" }'
            : "is not a known field — check its spelling (see worker/src/config/configSchema.ts)",
        });
      }
      continue;
    }
    const path = formatPath(issue.path);
    const envName = [...fromEnv].find(([p]) => p === path.replace(/\[\d+\]/g, "") || path.startsWith(`${p}[`))?.[1];
    const message =
      issue.code === "invalid_type" && valueAt(input, issue.path) === undefined
        ? `is required — ${issue.message.replace(/^must/, "it must")}`
        : issue.message;
    out.push({ path, message, env: envName });
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
