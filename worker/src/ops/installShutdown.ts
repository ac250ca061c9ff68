/**
 * Graceful shutdown: on SIGTERM or SIGINT run the steps in order (stop accepting work → drain → close the database),
 * each under a time limit, then exit 0 — or 1 if a step failed or timed out. A second signal exits at once.
 *
 * API: installShutdown({ steps, logger?, signals?, stepTimeoutMs?, exit? }): { shutdown(reason): Promise<number>, uninstall() }
 *   steps: { name, run: () => Promise<void> | void }[]   e.g. [ops server close, watcher.stop, pipeline.drain, store.close]
 */
import type { Logger } from "pino";

export type ShutdownStep = { name: string; run: () => Promise<void> | void };
export type InstallShutdownParameters = {
  steps: readonly ShutdownStep[];
  logger?: Pick<Logger, "info" | "warn" | "error"> | undefined;
  signals?: readonly NodeJS.Signals[] | undefined;
  stepTimeoutMs?: number | undefined;
  /** Default `process.exit`. */
  exit?: ((code: number) => void) | undefined;
};

export function installShutdown({
  steps,
  logger,
  signals = ["SIGTERM", "SIGINT"],
  stepTimeoutMs = 30_000,
  exit = (code) => process.exit(code),
}: InstallShutdownParameters) {
  let running: Promise<number> | null = null;

  async function shutdown(reason: string): Promise<number> {
    if (running) return running;
    running = (async () => {
      logger?.info({ reason }, "shutdown: started");
      let code = 0;
      for (const step of steps) {
        const started = Date.now();
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            Promise.resolve().then(step.run),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`timed out after ${stepTimeoutMs} ms`)), stepTimeoutMs);
            }),
          ]);
          logger?.info({ step: step.name, ms: Date.now() - started }, "shutdown: step done");
        } catch (error) {
          code = 1;
          logger?.error({ err: error, step: step.name }, "shutdown: step failed");
        } finally {
          clearTimeout(timer);
        }
      }
      logger?.info({ code }, "shutdown: finished");
      return code;
    })();
    return running;
  }

  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      logger?.warn({ signal }, "shutdown: second signal — exiting now");
      exit(1);
      return;
    }
    void shutdown(signal).then(exit);
  };
  for (const s of signals) process.on(s, onSignal);
  return {
    shutdown,
    uninstall(): void {
      for (const s of signals) process.off(s, onSignal);
    },
  };
}
