// What `octo-gateway serve` reads from the environment (secrets stay out of argv and files), checked with zod.
import { z } from "zod";

export const serveEnvSchema = z.object({
  OCTO_GATEWAY_OPERATOR_KEY: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "the operator's private key: 0x + 64 hex digits"),
  OCTO_RPC_URL: z.string().url().default("http://127.0.0.1:8545"),
  OCTO_DEPLOYMENTS: z.string().min(1).default("deployments/31337.json"),
  OCTO_GATEWAY_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type ServeEnv = z.infer<typeof serveEnvSchema>;

/** `--stream-url 0xProvider=http://host:port`, repeated. */
export function parseStreamUrl(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const match = /^(0x[0-9a-fA-F]{40})=(https?:\/\/\S+)$/.exec(value);
  if (!match) throw new Error(`--stream-url takes <provider address>=<url>, got ${value}`);
  return { ...previous, [match[1]!.toLowerCase()]: match[2]!.replace(/\/$/, "") };
}
