// Runs the indexer (`ponder start` on this package) as a child process against a chain and its deployments file,
// and resolves once it has indexed everything up to the chain's head and serves its API. Used by `npm start`, the
// indexer's tests and its benchmark.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { IndexerError } from "./IndexerError.ts";
import type { IndexerEnv } from "./indexerEnv.ts";
import { indexerStatus } from "./queryIndexer.ts";
import { resetInterruptedBackfill } from "./resetInterruptedBackfill.ts";

export type StartIndexerParameters = {
  /** The deployments file (deployments/<chainId>.json) naming the contracts and their deployment blocks. */
  deploymentsPath: string;
  rpcUrl: string;
  port: number;
  /** A PostgreSQL connection string (default: the DATABASE_URL environment variable); without one the indexer keeps
   *  its tables in an embedded PGlite database. */
  databaseUrl?: string | undefined;
  /** PGlite's directory. Default: a fresh temporary one, removed by `stop` (a local chain starts from block 0 each
   *  time, so yesterday's tables would not match it). Pass one to keep the tables across restarts; one whose last
   *  indexer was interrupted during a backfill is indexed again from the start (`resetInterruptedBackfill`). */
  pgliteDir?: string | undefined;
  /** The database schema Ponder writes its tables into (default "octo"). */
  databaseSchema?: string | undefined;
  /** How often Ponder polls for new blocks, ms (default 250; Ponder's minimum is 100). */
  pollingIntervalMs?: number | undefined;
  /** How long to wait for the first sync to finish (default 10 minutes). */
  readyTimeoutMs?: number | undefined;
  /** Resolve once the chain's head is indexed (default), or as soon as Ponder is started ("started": a caller that
   *  watches the backfill itself, e.g. to stop it half-way). */
  waitUntil?: "head" | "started" | undefined;
  /** Each line Ponder logs (JSON); default: kept, and shown only when it fails to start. */
  onLog?: ((line: string) => void) | undefined;
};

export type StartIndexerReturnType = {
  /** The API's root: GraphQL at `${url}/graphql`, SQL over HTTP at `${url}/sql`, `${url}/status`, `${url}/ready`. */
  url: string;
  graphqlUrl: string;
  sqlUrl: string;
  /** True when `pgliteDir` held tables of a backfill that did not finish: they were dropped and indexed again. */
  restartedBackfill: boolean;
  /** Resolves once the indexer has indexed `blockNumber` (or a later block). */
  waitForBlock(blockNumber: bigint, timeoutMs?: number): Promise<void>;
  /** Stops Ponder (SIGTERM, then SIGKILL after 15 s; or at once with `{ signal: "SIGKILL" }`, as a crash would) and
   *  removes a temporary PGlite directory. */
  stop(options?: { signal?: "SIGTERM" | "SIGKILL" }): Promise<void>;
};

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const ponderBin = fileURLToPath(new URL("bin/ponder.js", import.meta.resolve("ponder")));

export async function startIndexer(parameters: StartIndexerParameters): Promise<StartIndexerReturnType> {
  const {
    deploymentsPath,
    rpcUrl,
    port,
    databaseUrl = process.env.DATABASE_URL || undefined,
    databaseSchema = "octo",
    pollingIntervalMs = 250,
    readyTimeoutMs = 600_000,
    waitUntil = "head",
    onLog,
  } = parameters;
  const temporaryDir =
    parameters.pgliteDir === undefined && databaseUrl === undefined
      ? mkdtempSync(join(tmpdir(), "octo-indexer-"))
      : undefined;
  const env: IndexerEnv = {
    OCTO_DEPLOYMENTS: deploymentsPath,
    OCTO_RPC_URL: rpcUrl,
    DATABASE_URL: databaseUrl,
    OCTO_INDEXER_PGLITE_DIR: parameters.pgliteDir ?? temporaryDir ?? join(packageRoot, ".ponder", "pglite"),
    OCTO_INDEXER_POLLING_MS: pollingIntervalMs,
  };
  const restartedBackfill =
    databaseUrl === undefined && parameters.pgliteDir !== undefined
      ? (await resetInterruptedBackfill({ pgliteDir: parameters.pgliteDir, databaseSchema })) === "reset"
      : false;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PONDER_TELEMETRY_DISABLED: "true" };
  delete childEnv.DATABASE_URL;
  for (const [key, value] of Object.entries(env)) if (value !== undefined) childEnv[key] = String(value);

  const child = spawn(
    process.execPath,
    [
      ponderBin,
      "start",
      "--root",
      packageRoot,
      "--schema",
      databaseSchema,
      "--port",
      String(port),
      "--log-format",
      "json",
      "--log-level",
      "info",
    ],
    { cwd: packageRoot, env: childEnv, stdio: ["ignore", "pipe", "pipe"] },
  );
  const recent: string[] = [];
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (line === "") continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      onLog?.(line);
    }
  };
  child.stdout.on("data", onLine);
  child.stderr.on("data", onLine);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const logTail = () => recent.join("\n");

  const url = `http://127.0.0.1:${port}`;
  const stop = async ({ signal = "SIGTERM" }: { signal?: "SIGTERM" | "SIGKILL" } = {}) => {
    if (exitCode === undefined) {
      child.kill(signal);
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(killer);
    }
    if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
  };

  const indexer: StartIndexerReturnType = {
    url,
    graphqlUrl: `${url}/graphql`,
    sqlUrl: `${url}/sql`,
    restartedBackfill,
    async waitForBlock(blockNumber, timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (exitCode !== undefined)
          throw new IndexerError(`the indexer exited (code ${exitCode})`, { details: logTail() });
        const status = await indexerStatus(url).catch(() => undefined);
        if (status !== undefined && status.blockNumber >= blockNumber) return;
        if (Date.now() > until)
          throw new IndexerError(`the indexer did not reach block ${blockNumber} within ${timeoutMs} ms`, {
            details: logTail(),
          });
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop,
  };
  if (waitUntil === "started") return indexer;

  // /ready answers 200 once the backfill is done and live indexing has begun.
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exitCode !== undefined) {
      await stop();
      throw new IndexerError(`the indexer exited (code ${exitCode}) before it was ready`, { details: logTail() });
    }
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new IndexerError(`the indexer was not ready within ${readyTimeoutMs} ms`, { details: logTail() });
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  // /ready comes before the blocks past the last finalized one are indexed (live indexing): wait for the head too.
  try {
    await indexer.waitForBlock(await chainHead(rpcUrl), Math.max(deadline - Date.now(), 1000));
  } catch (error) {
    await stop();
    throw error;
  }
  return indexer;
}

async function chainHead(rpcUrl: string): Promise<bigint> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
  });
  const body = z.object({ result: z.string() }).parse(await response.json());
  return BigInt(body.result);
}
