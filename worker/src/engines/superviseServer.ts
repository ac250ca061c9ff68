// Runs an OpenAI-compatible inference server (vLLM, or anything speaking its API) as a child process and keeps it
// serving: waits for health, restarts it with exponential back-off when it dies, gives up and reports unhealthy after
// too many crashes in a window (no endless restart loop), and on shutdown drains in-flight requests, then SIGTERM,
// then SIGKILL after a grace period. The whole process group is signalled, so vLLM's worker processes go too.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { EngineStartError, EngineUnavailableError } from "./errors.ts";
import { requestJson } from "./requestJson.ts";
import type { EngineLogger, EngineMetrics } from "./types.ts";

export type SuperviseServerParameters = {
  /** Engine id for logs and metrics. */
  id: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where the server listens, e.g. http://127.0.0.1:8000 */
  baseUrl: string;
  /** The model name `/v1/models` must list before the server counts as ready. */
  model: string;
  /** Longest wait for a (re)started server to become healthy. vLLM loading a 70B model takes minutes. */
  startTimeoutMs?: number;
  /** Interval between health probes while starting. */
  pollIntervalMs?: number;
  /** First restart delay; doubles with every crash inside the window, capped at `maxRestartDelayMs`. */
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
  /** Crash-loop rule: more than `maxCrashes` exits within `crashWindowMs` and the supervisor gives up. */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** Shutdown: longest wait for in-flight requests, then SIGTERM, then SIGKILL after `killGraceMs`. */
  drainTimeoutMs?: number;
  /**
   * Liveness watchdog: once ready, GET /health every `livenessIntervalMs`; after `livenessFailures` failures in a row
   * the server is taken as hung, killed (SIGKILL) and restarted like a crash. 0 disables. Default 10 s × 3.
   */
  livenessIntervalMs?: number;
  livenessFailures?: number;
  killGraceMs?: number;
  logger?: EngineLogger;
  metrics?: EngineMetrics;
};

export type SupervisorState = "idle" | "starting" | "ready" | "restarting" | "failed" | "stopping" | "stopped";

export type ServerSupervisor = {
  /** Spawns the server and resolves once it is healthy; rejects with EngineStartError if it never gets there. */
  start(): Promise<void>;
  /** Resolves when the server is ready; rejects with EngineUnavailableError if it is failed/stopped or not ready in time. */
  ready(timeoutMs: number): Promise<void>;
  /**
   * Registers an in-flight request. Returns a signal that aborts if the server process exits while the request runs,
   * and a release function to call when the request ends (shutdown waits for all of them).
   */
  acquire(): { crashSignal: AbortSignal; release: () => void };
  state(): SupervisorState;
  /** Why the supervisor is not ready (last exit, crash loop, start timeout). */
  reason(): string | undefined;
  /** The current server process id, while one runs. */
  pid(): number | undefined;
  restarts(): number;
  stop(): Promise<void>;
};

type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

export function superviseServer(parameters: SuperviseServerParameters): ServerSupervisor {
  const {
    id,
    command,
    args,
    env,
    cwd,
    baseUrl,
    model,
    logger,
    metrics,
    startTimeoutMs = 20 * 60_000,
    pollIntervalMs = 250,
    restartDelayMs = 1000,
    maxRestartDelayMs = 60_000,
    maxCrashes = 5,
    crashWindowMs = 10 * 60_000,
    drainTimeoutMs = 5 * 60_000,
    killGraceMs = 30_000,
    livenessIntervalMs = 10_000,
    livenessFailures = 3,
  } = parameters;

  let current: SupervisorState = "idle";
  let lastReason: string | undefined;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let crashController = new AbortController();
  let restartTimer: NodeJS.Timeout | undefined;
  let livenessTimer: NodeJS.Timeout | undefined;
  let restartCount = 0;
  const crashTimes: number[] = [];
  const inFlight = new Set<object>();
  let drained: (() => void) | undefined;
  const waiters = new Set<() => void>();
  /** Processes we stop on purpose, or that could not spawn: their exit is not a crash to restart from. */
  const killed = new WeakSet<ChildProcess>();
  const cannotSpawn = new WeakSet<ChildProcess>();

  const setState = (next: SupervisorState, reason?: string) => {
    const wasReady = current === "ready";
    current = next;
    if (reason !== undefined) lastReason = reason;
    if (next === "ready") lastReason = undefined;
    if (wasReady !== (next === "ready")) metrics?.health?.(id, next === "ready");
    for (const wake of [...waiters]) wake();
  };

  /**
   * Spawns one server process and waits for it to become healthy. "exited": it died first (onExit handles the
   * restart); "timeout": it never became healthy, so it was killed and the supervisor failed.
   */
  async function launch(): Promise<"healthy" | "exited" | "timeout" | "stopping"> {
    crashController = new AbortController();
    const proc = spawn(command, [...args], {
      cwd,
      env: env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    child = proc;
    let exit: ExitInfo | undefined;
    exited = new Promise<void>((resolve) => {
      proc.once("exit", (code, signal) => {
        exit = { code, signal };
        resolve();
      });
      proc.once("error", (error) => {
        // Cannot run the command at all (ENOENT, EACCES): a config problem that restarting will not fix.
        logger?.error({ engineId: id, err: error }, "engine process failed to spawn");
        cannotSpawn.add(proc);
        setState("failed", `cannot run ${command}: ${error.message}`);
        exit ??= { code: null, signal: null };
        resolve();
      });
    });
    for (const [stream, name] of [
      [proc.stdout, "stdout"],
      [proc.stderr, "stderr"],
    ] as const) {
      if (stream)
        createInterface({ input: stream }).on("line", (line) =>
          logger?.info({ engineId: id, pid: proc.pid, stream: name }, line),
        );
    }
    void exited.then(() => onExit(proc, exit!));
    logger?.info({ engineId: id, pid: proc.pid, command, args }, "engine process started");

    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (exit) return "exited";
      if (current !== "starting") return "stopping";
      // Each probe is bounded on its own, so the deadline holds whatever the network does.
      if (await withTimeout(healthy(), Math.max(0, deadline - Date.now()), false)) return exit ? "exited" : "healthy";
      if (Date.now() >= deadline) {
        const reason = `engine did not become healthy at ${baseUrl} within ${startTimeoutMs} ms (GET /health, then /v1/models listing "${model}")`;
        await kill(proc);
        setState("failed", reason);
        return "timeout";
      }
      await Promise.race([sleep(pollIntervalMs), exited]);
    }
  }

  function attempt(): void {
    setState("starting");
    void launch().then((outcome) => {
      if (outcome === "healthy" && current === "starting") {
        setState("ready");
        watch(child);
      }
    });
  }

  /** Probes a ready server; a hung one (alive but not answering) is killed, and onExit restarts it. */
  function watch(proc: ChildProcess | undefined): void {
    if (!proc || livenessIntervalMs <= 0) return;
    let failures = 0;
    const probe = async (): Promise<void> => {
      if (child !== proc || current !== "ready") return;
      const ok = await requestJson({ url: `${baseUrl}/health`, timeoutMs: livenessIntervalMs })
        .then((r) => r.status === 200)
        .catch(() => false);
      if (child !== proc || current !== "ready") return;
      failures = ok ? 0 : failures + 1;
      if (failures >= livenessFailures) {
        logger?.error({ engineId: id, pid: proc.pid, failures }, "engine not answering /health; killing it to restart");
        signalGroup(proc, "SIGKILL");
        return;
      }
      livenessTimer = setTimeout(() => void probe(), livenessIntervalMs);
    };
    clearTimeout(livenessTimer);
    livenessTimer = setTimeout(() => void probe(), livenessIntervalMs);
  }

  async function healthy(): Promise<boolean> {
    const probeMs = Math.max(1000, pollIntervalMs * 4);
    try {
      const health = await requestJson({ url: `${baseUrl}/health`, timeoutMs: probeMs });
      if (health.status !== 200) return false;
      const models = await requestJson({ url: `${baseUrl}/v1/models`, timeoutMs: probeMs });
      const data = (models.json as { data?: Array<{ id?: string }> } | null)?.data;
      return models.status === 200 && Array.isArray(data) && data.some((m) => m.id === model);
    } catch {
      return false;
    }
  }

  function onExit(proc: ChildProcess, exit: ExitInfo): void {
    if (child !== proc) return;
    child = undefined;
    crashController.abort(new EngineUnavailableError(`engine process exited (${describeExit(exit)})`));
    const expected =
      killed.has(proc) ||
      cannotSpawn.has(proc) ||
      current === "stopping" ||
      current === "stopped" ||
      current === "failed";
    logger?.[expected ? "info" : "error"]({ engineId: id, pid: proc.pid, ...exit }, "engine process exited");
    if (expected) return;

    const now = Date.now();
    crashTimes.push(now);
    while (crashTimes.length > 0 && crashTimes[0]! < now - crashWindowMs) crashTimes.shift();
    if (crashTimes.length > maxCrashes) {
      const reason = `crash loop: ${crashTimes.length} exits within ${crashWindowMs} ms (last: ${describeExit(exit)}); not restarting`;
      logger?.error({ engineId: id }, reason);
      setState("failed", reason);
      return;
    }
    const delayMs = Math.min(maxRestartDelayMs, restartDelayMs * 2 ** (crashTimes.length - 1));
    setState("restarting", `engine process exited (${describeExit(exit)}); restarting in ${delayMs} ms`);
    metrics?.restart?.({ engineId: id, exitCode: exit.code, signal: exit.signal, crashes: crashTimes.length, delayMs });
    restartTimer = setTimeout(() => {
      if (current !== "restarting") return;
      restartCount++;
      attempt();
    }, delayMs);
  }

  async function kill(proc: ChildProcess): Promise<void> {
    killed.add(proc);
    const done = new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once("exit", () => resolve());
    });
    signalGroup(proc, "SIGTERM");
    const timer = setTimeout(() => signalGroup(proc, "SIGKILL"), killGraceMs);
    const gone = await withTimeout(
      done.then(() => true),
      2 * killGraceMs + 5000,
      false,
    );
    clearTimeout(timer);
    if (!gone)
      logger?.error({ engineId: id, pid: proc.pid }, "engine process did not exit after SIGKILL; giving up on it");
    signalGroup(proc, "SIGKILL"); // leftovers in the group (vLLM's workers) go too
  }

  return {
    async start() {
      if (current === "idle") attempt();
      // A command that dies at once follows the crash rules: retried with back-off until the crash-loop limit.
      const state = await untilState(["ready", "failed", "stopping", "stopped"], Number.POSITIVE_INFINITY);
      if (state !== "ready") throw new EngineStartError(`engine ${id} failed to start: ${lastReason ?? state}`);
    },
    ready(timeoutMs) {
      return untilState(["ready", "failed", "stopping", "stopped", "idle"], timeoutMs).then((state) => {
        if (state !== "ready")
          throw new EngineUnavailableError(`${id} is ${state}${lastReason ? `: ${lastReason}` : ""}`);
      });
    },
    acquire() {
      const token = {};
      inFlight.add(token);
      let released = false;
      return {
        crashSignal: crashController.signal,
        release: () => {
          if (released) return;
          released = true;
          inFlight.delete(token);
          if (inFlight.size === 0) drained?.();
        },
      };
    },
    state: () => current,
    reason: () => lastReason,
    pid: () => child?.pid,
    restarts: () => restartCount,
    async stop() {
      if (current === "stopped") return;
      setState("stopping");
      clearTimeout(restartTimer);
      clearTimeout(livenessTimer);
      if (inFlight.size > 0) {
        logger?.info(
          { engineId: id, inFlight: inFlight.size },
          "draining in-flight requests before stopping the engine",
        );
        let timer: NodeJS.Timeout | undefined;
        const allDone = new Promise<void>((resolve) => (drained = resolve));
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, drainTimeoutMs)));
        await Promise.race([allDone, timeout]);
        clearTimeout(timer);
        if (inFlight.size > 0)
          logger?.warn(
            { engineId: id, inFlight: inFlight.size },
            `drain timed out after ${drainTimeoutMs} ms; stopping anyway`,
          );
      }
      if (child) await kill(child);
      await exited;
      setState("stopped");
    },
  };

  /** Resolves with the state once it is one of `states` (immediately if it already is), or the current one on timeout. */
  function untilState(states: readonly SupervisorState[], timeoutMs: number): Promise<SupervisorState> {
    if (states.includes(current)) return Promise.resolve(current);
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(() => finish(), timeoutMs) : undefined;
      const wake = () => {
        if (states.includes(current)) finish();
      };
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve(current);
      };
      waiters.add(wake);
    });
  }
}

function signalGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  if (proc.pid === undefined) return;
  try {
    process.kill(-proc.pid, signal);
  } catch {
    try {
      proc.kill(signal);
    } catch {
      // already gone
    }
  }
}

function describeExit({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** `work`'s value, or `fallback` if it takes longer than `ms`. */
function withTimeout<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
