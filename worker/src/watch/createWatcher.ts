/**
 * The chain watcher: reads the logs of some contracts from a persisted checkpoint up to (head − confirmations), in
 * bounded block ranges, then polls. Each log reaches its handler exactly once per (blockHash, logIndex), across
 * restarts; a reorg that removes logs undoes them through `onRemoved` and the new branch's logs are handled.
 *
 * API:
 *   createWatcher(parameters): Watcher
 *     watcher.start()                  run the loop in the background (never throws; errors go to health/onError)
 *     watcher.stop(): Promise<void>    stop polling and wait for the tick in progress to finish
 *     watcher.tick(): Promise<TickResult>   one step by hand (tests, CLI `status`); throws RPC errors
 *     watcher.health(): WatcherHealth  'starting' | 'ok' | 'lagging' | 'stalled', lag, last error, RPC URL
 *   watchedContract({ name, address, abi, fromBlock, handlers, onRemoved }) — identity helper that types `handlers`
 *   from the `as const` ABI.
 *
 * Handlers are synchronous and run inside the SQLite transaction that records the log, so "handled" and "recorded"
 * cannot disagree after a crash. They should only write to the store (e.g. `store.createJob(...)`); slow or async work
 * (claiming, inference) belongs to the pipeline, which reads the store. A handler that throws does not stop the
 * watcher: its writes are rolled back, the log is recorded as 'failed' with the error (not retried) and reported to
 * `onError`. `onRemoved` gets the stored record of each removed log, newest first, in the transaction that marks it.
 *
 * Reorgs: before each read the stored checkpoint hash is compared with the chain's; when it differs, the watcher walks
 * back over the block hashes it stored (checkpoints, blocks with logs, recent tips) to the newest one still canonical,
 * undoes every log above it and reads again from there. Reorgs deeper than the retained history (1024 blocks) fall
 * back to the contracts' start blocks. With `confirmations` ≥ the chain's reorg depth this path never runs.
 *
 * RPC errors never end the loop: it retries with exponential back-off and full jitter (`backoff`), and the
 * transport (see failoverTransport) moves between URLs. `health()` turns 'stalled' when no tick has succeeded for
 * `stallAfterMs`, 'lagging' when the processed block trails head − confirmations by more than `maxLagBlocks`.
 */
import type { Logger } from "pino";
import {
  type Abi,
  type Address,
  type Client,
  type ContractEventArgsFromTopics,
  type ContractEventName,
  decodeEventLog,
  type Hash,
  isAddressEqual,
  type Log,
} from "viem";
import { getBlock, getBlockNumber, getLogs } from "viem/actions";
import type { Store, StoredEvent } from "../store/openStore.ts";
import { ChainMovedError } from "./WatcherError.ts";

export type WatchEvent<abi extends Abi = Abi, eventName extends ContractEventName<abi> = ContractEventName<abi>> = {
  /** The `name` of the watched contract. */
  contract: string;
  address: Address;
  eventName: eventName;
  args: ContractEventArgsFromTopics<abi, eventName, true>;
  blockNumber: bigint;
  blockHash: Hash;
  logIndex: number;
  transactionHash: Hash;
};

/** Method-style (bivariant) so a handler typed for one event also fits an ABI typed only as `Abi`. */
export type EventHandler<abi extends Abi = Abi, eventName extends ContractEventName<abi> = ContractEventName<abi>> = {
  handle(event: WatchEvent<abi, eventName>): void;
}["handle"];

export type RemovedHandler = (event: StoredEvent) => void;

export type WatchedContract<abi extends Abi = Abi> = {
  name: string;
  address: Address;
  abi: abi;
  /** The deployment block: where a fresh worker starts reading. */
  fromBlock: bigint;
  handlers: { [eventName in ContractEventName<abi>]?: EventHandler<abi, eventName> };
  /** Undo hook for a log a reorg removed (its handler had run). */
  onRemoved?: RemovedHandler | undefined;
};

export function watchedContract<const abi extends Abi>(contract: WatchedContract<abi>): WatchedContract {
  return contract;
}

export type WatcherHealth = {
  status: "starting" | "ok" | "lagging" | "stalled";
  headBlock: number | null;
  /** Highest block fully processed (for all contracts). */
  processedBlock: number | null;
  /** (head − confirmations) − processed; 0 when caught up. */
  lagBlocks: number | null;
  lastSuccessAt: number | null;
  lastError: { message: string; at: number } | null;
  consecutiveFailures: number;
  rpcUrl: string | null;
  reorgs: number;
};

export type TickResult = {
  fromBlock: number | null;
  toBlock: number | null;
  head: number;
  logs: number;
  handled: number;
  removed: number;
  caughtUp: boolean;
};

export type CreateWatcherParameters = {
  client: Client;
  store: Store;
  contracts: readonly WatchedContract[];
  confirmations?: number | undefined;
  pollIntervalMs?: number | undefined;
  maxBlockRange?: number | undefined;
  backoff?: { initialMs?: number; maxMs?: number } | undefined;
  /** No successful tick for this long → 'stalled'. Default max(30 s, 10 × pollIntervalMs). */
  stallAfterMs?: number | undefined;
  /** Default 50. */
  maxLagBlocks?: number | undefined;
  logger?: Pick<Logger, "debug" | "info" | "warn" | "error"> | undefined;
  onError?:
    | ((error: unknown, context: { phase: "tick" | "handler" | "onRemoved"; event?: WatchEvent | StoredEvent }) => void)
    | undefined;
  onTick?: ((result: TickResult, health: WatcherHealth) => void) | undefined;
};
export type Watcher = ReturnType<typeof createWatcher>;
export type CreateWatcherReturnType = Watcher;

const HISTORY_BLOCKS = 1024;

export function createWatcher(parameters: CreateWatcherParameters) {
  const { client, store, contracts, logger, onError, onTick } = parameters;
  const confirmations = parameters.confirmations ?? 2;
  const pollIntervalMs = parameters.pollIntervalMs ?? 2_000;
  const initialBackoff = parameters.backoff?.initialMs ?? 500;
  const maxBackoff = parameters.backoff?.maxMs ?? 30_000;
  const stallAfterMs = parameters.stallAfterMs ?? Math.max(30_000, 10 * pollIntervalMs);
  const maxLagBlocks = parameters.maxLagBlocks ?? 50;
  let range = Math.max(1, parameters.maxBlockRange ?? 2_000);

  /** The watched contract at an address (a log's, or a stored event's, which the store keeps in lower case). */
  const contractAt = (address: string) => contracts.find((c) => isAddressEqual(c.address, address as Address));
  const state = {
    head: null as number | null,
    processed: null as number | null,
    target: null as number | null,
    lastSuccessAt: null as number | null,
    lastError: null as WatcherHealth["lastError"],
    failures: 0,
    reorgs: 0,
  };
  const startedAt = Date.now();
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  const rpcUrl = (): string | null => {
    const value = (client.transport as { currentUrl?: () => string; url?: string }).currentUrl?.();
    return value ?? (client.transport as { url?: string }).url ?? null;
  };

  function health(): WatcherHealth {
    const now = Date.now();
    const lag = state.target !== null && state.processed !== null ? Math.max(0, state.target - state.processed) : null;
    const since = state.lastSuccessAt ?? startedAt;
    const status: WatcherHealth["status"] =
      now - since > stallAfterMs
        ? "stalled"
        : state.lastSuccessAt === null
          ? "starting"
          : lag !== null && lag > maxLagBlocks
            ? "lagging"
            : "ok";
    return {
      status,
      headBlock: state.head,
      processedBlock: state.processed,
      lagBlocks: lag,
      lastSuccessAt: state.lastSuccessAt,
      lastError: state.lastError,
      consecutiveFailures: state.failures,
      rpcUrl: rpcUrl(),
      reorgs: state.reorgs,
    };
  }

  const startOf = (c: WatchedContract): number => {
    const cp = store.getCheckpoint(c.address);
    return cp ? cp.blockNumber + 1 : Number(c.fromBlock);
  };

  async function blockHash(n: number, cache: Map<number, Hash | null>): Promise<Hash | null> {
    if (cache.has(n)) return cache.get(n) as Hash | null;
    const block = await getBlock(client, { blockNumber: BigInt(n) }).catch((error: unknown) => {
      if (error instanceof Error && error.name === "BlockNotFoundError") return null;
      throw error;
    });
    const hash = block?.hash ?? null;
    cache.set(n, hash);
    return hash;
  }

  /** Returns the number of removed logs (0 when the checkpoints are all canonical). */
  async function handleReorg(head: number, cache: Map<number, Hash | null>): Promise<number> {
    let tip: number | null = null;
    for (const c of contracts) {
      const cp = store.getCheckpoint(c.address);
      if (!cp) continue;
      const canonical = cp.blockNumber <= head ? await blockHash(cp.blockNumber, cache) : null;
      if (canonical !== cp.blockHash) tip = Math.max(tip ?? -1, cp.blockNumber);
    }
    if (tip === null) return 0;

    let ancestor: { blockNumber: number; blockHash: string } | null = null;
    for (const known of store.knownBlocks(Math.min(tip, head), HISTORY_BLOCKS)) {
      if ((await blockHash(known.blockNumber, cache)) === known.blockHash) {
        ancestor = known;
        break;
      }
    }
    state.reorgs++;
    const removed = store.transaction(() => {
      const floor = ancestor?.blockNumber ?? Math.min(...contracts.map((c) => Number(c.fromBlock))) - 1;
      const undone = store.undoEventsAfter(floor);
      for (const event of undone) {
        const contract = contractAt(event.contract);
        if (!contract?.onRemoved) continue;
        try {
          store.transaction(() => contract.onRemoved?.(event));
        } catch (error) {
          logger?.error({ err: error, event: describe(event) }, "watcher: onRemoved hook failed");
          onError?.(error, { phase: "onRemoved", event });
        }
      }
      store.forgetBlocksAfter(floor);
      for (const c of contracts) {
        const cp = store.getCheckpoint(c.address);
        if (!cp || cp.blockNumber <= floor) continue;
        if (ancestor) store.setCheckpoint(c.address, ancestor);
        else store.db.prepare("DELETE FROM checkpoints WHERE contract = ?").run(c.address.toLowerCase());
      }
      return undone.length;
    });
    logger?.warn(
      { tip, ancestor: ancestor?.blockNumber ?? null, removed },
      "watcher: reorg — logs above the common ancestor undone",
    );
    return removed;
  }

  /** Ticks never overlap: a manual `tick()` during the loop waits for the loop's tick, then runs. */
  let serial: Promise<unknown> = Promise.resolve();
  function tick(): Promise<TickResult> {
    const run = serial.then(tickOnce, tickOnce);
    serial = run.catch(() => undefined);
    return run;
  }

  async function tickOnce(): Promise<TickResult> {
    const cache = new Map<number, Hash | null>();
    const head = Number(await getBlockNumber(client, { cacheTime: 0 }));
    state.head = head;
    const removed = await handleReorg(head, cache);
    const target = head - confirmations;
    state.target = target;
    const starts = contracts.map(startOf);
    const from = Math.min(...starts);
    const done = (r: Omit<TickResult, "head" | "removed">): TickResult => {
      state.lastSuccessAt = Date.now();
      state.failures = 0;
      return { ...r, head, removed };
    };
    if (from > target) {
      state.processed = Math.max(from - 1, -1);
      return done({ fromBlock: null, toBlock: null, logs: 0, handled: 0, caughtUp: true });
    }
    const to = Math.min(from + range - 1, target);

    const toHash = await blockHash(to, cache);
    let logs: Log[];
    try {
      logs = await getLogs(client, {
        address: contracts.filter((_, i) => (starts[i] as number) <= to).map((c) => c.address),
        fromBlock: BigInt(from),
        toBlock: BigInt(to),
      });
    } catch (error) {
      if (to > from && /range|too many|limit|exceed|10000|response size/i.test(String((error as Error).message))) {
        range = Math.max(1, Math.floor((to - from + 1) / 2));
        logger?.warn({ from, to, range }, "watcher: getLogs range refused — halving it");
      }
      throw error;
    }
    cache.delete(to);
    const toHashAfter = await blockHash(to, cache);
    if (!toHash || toHash !== toHashAfter) throw new ChainMovedError(`block ${to} changed while its logs were read`);
    logs.sort((a, b) => Number((a.blockNumber ?? 0n) - (b.blockNumber ?? 0n)) || (a.logIndex ?? 0) - (b.logIndex ?? 0));

    let handled = 0;
    store.transaction(() => {
      for (const log of logs) {
        const contract = contractAt(log.address);
        if (!contract || log.blockHash === null || log.logIndex === null || log.blockNumber === null) continue;
        if (Number(log.blockNumber) < startOf(contract)) continue;
        if (log.blockNumber === BigInt(to) && log.blockHash !== toHash)
          throw new ChainMovedError(`logs of block ${to} are stale`);
        const event = decode(contract, log);
        if (!event) continue;
        const record = {
          blockHash: event.blockHash,
          logIndex: event.logIndex,
          blockNumber: Number(event.blockNumber),
          txHash: event.transactionHash,
          contract: contract.address,
          eventName: event.eventName,
          args: event.args,
        };
        const handler = contract.handlers[event.eventName];
        try {
          store.transaction(() => {
            if (store.recordEvent(record)) {
              handler?.(event);
              handled++;
            }
          });
        } catch (error) {
          store.recordEvent(record);
          store.markEventFailed(record.blockHash, record.logIndex, String((error as Error)?.stack ?? error));
          logger?.error({ err: error, event: describe(record) }, "watcher: handler failed; event recorded as failed");
          onError?.(error, { phase: "handler", event });
        }
      }
      for (let i = 0; i < contracts.length; i++) {
        if ((starts[i] as number) <= to)
          store.setCheckpoint((contracts[i] as WatchedContract).address, { blockNumber: to, blockHash: toHash });
      }
      store.rememberBlock(to, toHash);
      store.pruneBlocks(to - HISTORY_BLOCKS);
    });
    state.processed = to;
    if (handled > 0) logger?.debug({ fromBlock: from, toBlock: to, handled }, "watcher: logs handled");
    if (range < (parameters.maxBlockRange ?? 2_000)) range = Math.min(parameters.maxBlockRange ?? 2_000, range * 2);
    return done({ fromBlock: from, toBlock: to, logs: logs.length, handled, caughtUp: to >= target });
  }

  function decode(contract: WatchedContract, log: Log): WatchEvent | null {
    try {
      const { eventName, args } = decodeEventLog({
        abi: contract.abi,
        data: log.data,
        topics: log.topics,
        strict: true,
      });
      if (eventName === undefined) return null; // an anonymous event: no handler can name it
      return {
        contract: contract.name,
        address: contract.address,
        eventName,
        args: args as WatchEvent["args"],
        blockNumber: log.blockNumber as bigint,
        blockHash: log.blockHash as Hash,
        logIndex: log.logIndex as number,
        transactionHash: log.transactionHash as Hash,
      };
    } catch {
      logger?.debug({ contract: contract.name, topic0: log.topics[0] }, "watcher: log not in the ABI — ignored");
      return null;
    }
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  async function run(): Promise<void> {
    while (running) {
      let delay: number;
      try {
        const result = await tick();
        delay = result.caughtUp ? pollIntervalMs : 0;
        onTick?.(result, health());
      } catch (error) {
        state.failures++;
        state.lastError = { message: (error as Error)?.message?.split("\n")[0] ?? String(error), at: Date.now() };
        const cap = Math.min(maxBackoff, initialBackoff * 2 ** Math.min(state.failures - 1, 20));
        delay = Math.round(cap / 2 + Math.random() * (cap / 2));
        logger?.warn(
          { err: error, failures: state.failures, retryInMs: delay, rpcUrl: rpcUrl() },
          "watcher: tick failed",
        );
        onError?.(error, { phase: "tick" });
      }
      if (running && delay > 0) await sleep(delay);
    }
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop(): Promise<void> {
      running = false;
      wake?.();
      await loop;
      loop = null;
    },
    tick,
    health,
  };
}

function describe(e: { blockNumber: number | bigint; blockHash: string; logIndex: number; eventName: string }) {
  return { eventName: e.eventName, blockNumber: Number(e.blockNumber), blockHash: e.blockHash, logIndex: e.logIndex };
}
