// An engine that runs in its own child process, seen from the worker: the same Engine interface, requests and tokens
// as IPC messages, optionally pinned to a CPU set, and supervised like the vLLM subprocess: a process that dies fails
// its requests with EngineCrashedError and is restarted with exponential back-off; after too many deaths in a window
// the engine gives up and reports unhealthy (no endless restart loop). Each new process loads the model again.
import { fork, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  EngineConfigError,
  EngineCrashedError,
  EngineStartError,
  EngineUnavailableError,
  type EngineError,
} from "../errors.ts";
import type {
  Engine,
  EngineHealth,
  EngineInfo,
  EngineLogger,
  EngineMetrics,
  GenerateReturnType,
  OnToken,
} from "../types.ts";
import { reviveEngineError, type FromEngineChild, type ToEngineChild } from "./childEngineProtocol.ts";

export type CreateChildEngineParameters<Options> = {
  /** The child's entry module; it calls serveEngineInChild. */
  entry: URL;
  /** Handed to the entry as JSON: plain data only. */
  options: Options;
  /** Engine id for logs and metrics. */
  id: string;
  /**
   * Prompt tokens as the engine counts them, worked out in this process (from the model's vocabulary): the worker
   * counts every prompt before it generates, and a round trip to the engine's process would sit on that path.
   */
  countTokens(text: string): number;
  /**
   * CPUs the engine process may run on, in taskset's list format ("0", "2-3", "0,4-7"); Linux only, needs `taskset`
   * (util-linux). A pinned CPU engine stays on its cores instead of migrating as the worker's threads wake; other
   * processes may still run there unless they are pinned elsewhere.
   */
  cpus?: string;
  onLoadProgress?: (fraction: number) => void;
  metrics?: EngineMetrics;
  logger?: EngineLogger;
  /** First restart delay; doubles with every death inside the window, capped at `maxRestartDelayMs`. */
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
  /** Crash-loop rule: more than `maxCrashes` deaths within `crashWindowMs` and the engine gives up. */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** Longest wait for a running generation to end on stop() before the process is killed. */
  stopTimeoutMs?: number;
};

/** The engine, plus what operators and tests may ask of its process. */
export type ChildEngine = Engine & {
  /** The engine process's id while one runs. */
  pid(): number | undefined;
  /** Restarts after a crash since the engine was created. */
  restarts(): number;
};

type State = "starting" | "ready" | "restarting" | "failed" | "stopping" | "stopped";
type Pending = {
  resolve: (r: GenerateReturnType) => void;
  reject: (e: EngineError) => void;
  onToken: OnToken | undefined;
};

const CPU_LIST = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;
const STDERR_TAIL_LINES = 20;

/** Starts the process and resolves once its engine is loaded; rejects with the engine's own error if it cannot load. */
export async function createChildEngine<Options>(
  parameters: CreateChildEngineParameters<Options>,
): Promise<ChildEngine> {
  const {
    entry,
    options,
    id,
    countTokens,
    cpus,
    onLoadProgress,
    metrics,
    logger,
    restartDelayMs = 1_000,
    maxRestartDelayMs = 60_000,
    maxCrashes = 5,
    crashWindowMs = 10 * 60_000,
    stopTimeoutMs = 30_000,
  } = parameters;
  if (cpus !== undefined) {
    if (!CPU_LIST.test(cpus))
      throw new EngineConfigError("cpus", `must be a CPU list such as "0", "2-3" or "0,4-7" (got "${cpus}")`);
    if (process.platform !== "linux")
      throw new EngineConfigError("cpus", `pins with taskset, which needs Linux (this is ${process.platform})`);
  }

  let state: State = "starting";
  let reason: string | undefined;
  let child!: ChildProcess;
  let exited: Promise<void> = Promise.resolve();
  let nextId = 0;
  let crashes: number[] = [];
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const pending = new Map<number, Pending>();
  /** Requests not yet answered, as promises: stop() lets them finish first. */
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(request: Promise<T>): Promise<T> => {
    inFlight.add(request);
    const done = () => inFlight.delete(request);
    request.then(done, done);
    return request;
  };

  const setState = (next: State, why?: string) => {
    state = next;
    reason = why;
    metrics?.health?.(id, next === "ready");
  };
  const failAll = (error: EngineError) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const send = (message: ToEngineChild) => {
    if (child.connected) child.send(message);
  };

  /** One process's life. Resolves with its engine info once loaded; rejects if it fails or dies before that. */
  function spawn(): Promise<EngineInfo> {
    return new Promise((resolve, reject) => {
      let loaded = false;
      const stderrTail: string[] = [];
      const path = fileURLToPath(entry);
      const proc = fork(path, [JSON.stringify(options)], {
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        serialization: "advanced",
        // Only what the engine needs: not the worker's own flags (a --cpu-prof or --inspect meant for the worker).
        execArgv: [],
        ...(cpus === undefined ? {} : { execPath: "taskset", execArgv: ["--cpu-list", cpus, process.execPath] }),
      });
      child = proc;
      exited = new Promise((done) => proc.once("exit", () => done()));
      createInterface({ input: proc.stdout! }).on("line", (line) =>
        logger?.info({ engineId: id, line }, "engine output"),
      );
      createInterface({ input: proc.stderr! }).on("line", (line) => {
        stderrTail.push(line);
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
        logger?.warn({ engineId: id, line }, "engine output");
      });
      proc.on("message", (message: FromEngineChild) => {
        switch (message.type) {
          case "ready":
            loaded = true;
            return resolve(message.info);
          case "loadFailed":
            loaded = true; // the exit that follows belongs to this failure, not to a crash
            return reject(reviveEngineError(message.error));
          case "loadProgress":
            return onLoadProgress?.(message.fraction);
          case "generation":
            return metrics?.generation?.(message.record);
          case "tokens": {
            const p = pending.get(message.id);
            message.pieces.forEach((text, i) => p?.onToken?.(text, message.first + i));
            return;
          }
          case "generated":
          case "failed": {
            const p = pending.get(message.id);
            if (!p) return;
            pending.delete(message.id);
            if (message.type === "failed") p.reject(reviveEngineError(message.error));
            else p.resolve(message.result);
            return;
          }
        }
      });
      // A failed spawn (no taskset, say) emits "error" and no "exit".
      proc.on("error", (error) => {
        if (loaded) return;
        loaded = true;
        reject(
          new EngineStartError(
            `${id}: cannot start the engine process${cpus === undefined ? "" : " (pinning needs `taskset` from util-linux)"}`,
            { cause: error },
          ),
        );
      });
      proc.on("exit", (code, signal) => {
        if (child !== proc) return;
        const how = signal ? `signal ${signal}` : `code ${code}`;
        if (!loaded) {
          loaded = true;
          return reject(
            new EngineStartError(`${id}: engine process exited (${how}) before it was ready`, {
              details: stderrTail.join("\n") || undefined,
            }),
          );
        }
        if (state === "stopping" || state === "stopped") return failAll(new EngineUnavailableError(`${id} is stopped`));
        if (state === "ready") onCrash(`engine process exited (${how})`, code, signal, stderrTail.join("\n"));
      });
    });
  }

  function onCrash(why: string, exitCode: number | null, signal: string | null, details?: string) {
    failAll(new EngineCrashedError(`${id}: ${why}`, { details: details || undefined }));
    const now = Date.now();
    crashes = [...crashes.filter((t) => now - t < crashWindowMs), now];
    if (crashes.length > maxCrashes) {
      setState("failed", `${crashes.length} crashes within ${crashWindowMs / 1000} s; last: ${why}`);
      logger?.error({ engineId: id, reason }, "engine process crash loop: giving up");
      return;
    }
    const delayMs = Math.min(restartDelayMs * 2 ** (crashes.length - 1), maxRestartDelayMs);
    setState("restarting", why);
    metrics?.restart?.({ engineId: id, exitCode, signal, crashes: crashes.length, delayMs });
    logger?.warn({ engineId: id, reason: why, delayMs }, "engine process died; restarting");
    restarts++;
    restartTimer = setTimeout(restart, delayMs);
  }

  function restart() {
    restartTimer = undefined;
    if (state !== "restarting") return;
    spawn().then(
      () => (state === "restarting" ? setState("ready") : undefined),
      // A failed reload counts as a crash: back off and try again, up to the crash-loop limit.
      (error: unknown) =>
        state === "restarting"
          ? onCrash(`engine reload failed: ${error instanceof Error ? error.message : String(error)}`, null, null)
          : undefined,
    );
  }

  const unavailable = () => new EngineUnavailableError(`${id} is ${state}${reason ? `: ${reason}` : ""}`);

  let info: EngineInfo;
  try {
    info = await spawn();
  } catch (error) {
    state = "stopped";
    await exitOf(child, exited, stopTimeoutMs);
    throw error;
  }
  setState("ready");

  return {
    id,
    info: () => info,
    pid: () => (state === "stopped" || child.exitCode !== null || child.signalCode !== null ? undefined : child.pid),
    restarts: () => restarts,
    async health(): Promise<EngineHealth> {
      if (state === "ready") return { healthy: true };
      return { healthy: false, reason: `${state}${reason ? `: ${reason}` : ""}`, permanent: state === "failed" };
    },
    generate({ signal, ...parameters }, onToken) {
      if (state !== "ready") return Promise.reject(unavailable());
      const requestId = nextId++;
      // The engine answers an abort at once with GenerationAbortedError (and what it had generated so far).
      const onAbort = () => send({ type: "abort", id: requestId });
      return track(
        new Promise<GenerateReturnType>((resolve, reject) => {
          pending.set(requestId, { resolve, reject, onToken });
          send({ type: "generate", id: requestId, request: parameters, streamTokens: onToken !== undefined });
          if (signal?.aborted) onAbort();
          else signal?.addEventListener("abort", onAbort, { once: true });
        }),
      ).finally(() => signal?.removeEventListener("abort", onAbort));
    },
    async countTokens(text) {
      if (state === "stopping" || state === "stopped") throw unavailable();
      return countTokens(text);
    },
    async stop() {
      if (state === "stopping" || state === "stopped") return;
      const wasRunning = state === "ready";
      clearTimeout(restartTimer);
      setState("stopping");
      // Requests already asked are answered (a drain, as for vLLM), then the engine releases the model and exits;
      // one that hangs is killed after `stopTimeoutMs`.
      if (wasRunning) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...inFlight]),
          new Promise((resolve) => (timer = setTimeout(resolve, stopTimeoutMs))),
        ]);
        clearTimeout(timer);
        send({ type: "stop" });
      }
      await exitOf(child, exited, wasRunning ? stopTimeoutMs : 0);
      failAll(new EngineUnavailableError(`${id} is stopped`));
      setState("stopped");
    },
  };
}

/** Resolves once the process has exited; kills it first if it is still running after `timeoutMs`. */
async function exitOf(child: ChildProcess, exited: Promise<void>, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  await exited;
  clearTimeout(timer);
}
