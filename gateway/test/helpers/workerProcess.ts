// The local market's provider as its own process: the worker's CLI (`octo-worker start`) on the config and store that
// startLocalMarket wrote, so that a test can kill it for real (SIGKILL) while it streams. The in-process worker of the
// market must be stopped first: both would serve the same provider account.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEV_ROLES } from "@octo/devnet";

const WORKER_CLI = resolve(import.meta.dirname, "../../../worker/src/cli/main.ts");

export type WorkerProcess = {
  process: ChildProcess;
  /** The worker's live-output server, for the gateway's `streamUrls`. */
  streamUrl: string;
  /** Kills it with SIGKILL and waits until it has exited. */
  kill(): Promise<void>;
};

/** Starts `octo-worker start` on `${marketDataDir}/worker-config.json`; resolves once it prints that it is ready. */
export async function startWorkerProcess({ marketDataDir }: { marketDataDir: string }): Promise<WorkerProcess> {
  const configPath = join(marketDataDir, "worker-config.json");
  const config = JSON.parse(readFileSync(configPath, "utf8")) as { logLevel?: string };
  const processConfigPath = join(marketDataDir, "worker-process-config.json");
  writeFileSync(processConfigPath, JSON.stringify({ ...config, logLevel: "warn" }, null, 2));
  const proc = spawn(process.execPath, [WORKER_CLI, "--config", processConfigPath, "start"], {
    env: { PATH: process.env.PATH, OCTO_LOCAL_PROVIDER_KEY: DEV_ROLES.provider },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const streamUrl = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    const onData = (data: Buffer) => {
      out += data.toString();
      const ready = /octo-worker ready: .* live output (http:\/\/\S+)/.exec(out);
      if (ready) {
        proc.stdout!.off("data", onData);
        proc.stdout!.resume(); // its later output (JSON logs) is not read, and must not fill the pipe
        resolveUrl(ready[1]!);
      }
    };
    proc.stdout!.on("data", onData);
    void exited.then(() => reject(new Error(`the worker process exited before it was ready:\n${out}`)));
  });
  return {
    process: proc,
    streamUrl,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}
