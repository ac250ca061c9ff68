#!/usr/bin/env node
// octo-gateway: the OpenAI-compatible gateway's command line. Every command takes --data-dir (default
// .data/gateway, or OCTO_GATEWAY_DATA_DIR), where the store keeps API keys and pending jobs.
//   serve [--top-up <units>]    run the gateway (operator key, RPC URL and deployments from the environment)
//   keys create --name <name> [--spend-limit <units>] [--rate-limit <per minute>]   prints the key's secret once
//   keys list [--json]          keys, their limits and spend (never their secrets)
//   keys revoke <id>            by id or a unique prefix of it
import { resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { createApiKey, listApiKeys, revokeApiKey } from "../keys/apiKeys.ts";
import { openStore } from "../store/openStore.ts";
import { startGateway } from "../startGateway.ts";
import { parseStreamUrl, serveEnvSchema } from "./serveEnv.ts";

const program = new Command("octo-gateway").description(
  "An OpenAI-compatible API whose every request is an Octo market job",
);
program.option("--data-dir <dir>", "the gateway's store", process.env.OCTO_GATEWAY_DATA_DIR ?? ".data/gateway");
const dataDir = () => resolve(program.opts<{ dataDir: string }>().dataDir);
const withStore = <T>(fn: (store: ReturnType<typeof openStore>) => T): T => {
  const store = openStore({ path: resolve(dataDir(), "gateway.sqlite") });
  try {
    return fn(store);
  } finally {
    store.close();
  }
};
const positiveInt = (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError("a positive integer");
  return Number(v);
};
const units = (v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError("a whole number of payment-token units");
  return BigInt(v);
};

program
  .command("serve")
  .description(
    "run the gateway: OCTO_GATEWAY_OPERATOR_KEY pays for jobs; OCTO_RPC_URL, OCTO_DEPLOYMENTS say where the market is",
  )
  .option("--host <host>", "interface to listen on", "127.0.0.1")
  .option("--port <port>", "port to listen on", positiveInt, 8080)
  .option("--stream-url <provider=url>", "a provider's live-output server (repeatable)", parseStreamUrl, {})
  .option("--deadline <seconds>", "seconds a provider has for a job before its escrow is reclaimed", positiveInt, 300)
  .option("--max-attempts <n>", "providers a request tries before a 504", positiveInt, 2)
  .option(
    "--top-up <units>",
    "what one deposit moves from the wallet into the market balance when it cannot cover a job (default: the whole wallet)",
    units,
  )
  .action(
    async (o: {
      host: string;
      port: number;
      streamUrl: Record<string, string>;
      deadline: number;
      maxAttempts: number;
      topUp?: bigint;
    }) => {
      const parsed = serveEnvSchema.safeParse(process.env);
      if (!parsed.success) {
        console.error(
          `octo-gateway serve: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        );
        process.exit(2);
      }
      const env = parsed.data;
      const gateway = await startGateway({
        deploymentsPath: env.OCTO_DEPLOYMENTS,
        rpcUrl: env.OCTO_RPC_URL,
        operatorKey: env.OCTO_GATEWAY_OPERATOR_KEY as `0x${string}`,
        host: o.host,
        port: o.port,
        dataDir: dataDir(),
        streamUrls: o.streamUrl,
        deadlineSeconds: o.deadline,
        maxAttempts: o.maxAttempts,
        topUp: o.topUp,
        logLevel: env.OCTO_GATEWAY_LOG_LEVEL,
      });
      const shutdown = () => void gateway.stop().then(() => process.exit(0));
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    },
  );

const keys = program.command("keys").description("API keys");
keys
  .command("create")
  .requiredOption("--name <name>", "who the key is for")
  .option("--spend-limit <units>", "the most its jobs may cost, in payment-token units", units)
  .option("--rate-limit <per-minute>", "requests per minute", positiveInt)
  .action((o: { name: string; spendLimit?: bigint; rateLimit?: number }) => {
    const { key, secret } = withStore((store) =>
      createApiKey(store, { name: o.name, spendLimit: o.spendLimit, ratePerMinute: o.rateLimit }),
    );
    console.log(`created key ${key.id} (${key.name}); its secret, shown this once:\n${secret}`);
  });
keys
  .command("list")
  .option("--json", "as JSON")
  .action((o: { json?: boolean }) => {
    const list = withStore(listApiKeys);
    if (o.json)
      return console.log(JSON.stringify(list, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2));
    if (list.length === 0) return console.log("no keys (octo-gateway keys create --name <name>)");
    for (const k of list) {
      const limit = k.spendLimit === undefined ? "no limit" : `limit ${k.spendLimit}`;
      console.log(
        `${k.id}  ${k.name.padEnd(16)} spent ${k.spent} (${limit}), ${k.ratePerMinute ?? "∞"}/min${k.revokedAt ? `  REVOKED ${new Date(k.revokedAt).toISOString()}` : ""}`,
      );
    }
  });
keys.command("revoke <id>").action((id: string) => {
  if (!withStore((store) => revokeApiKey(store, id))) {
    console.error(`no live key matches ${id} (keys list shows them)`);
    process.exit(1);
  }
  console.log(`revoked ${id}`);
});

await program.parseAsync();
