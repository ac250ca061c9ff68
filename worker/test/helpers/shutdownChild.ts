/**
 * A child process for the graceful-shutdown test: a store, an ops server and one in-flight "job", with
 * installShutdown wired as the daemon wires it. Prints `ready <port>` on stderr once serving.
 */
import { join } from "node:path";
import { createHealth } from "../../src/ops/createHealth.ts";
import { createLogger } from "../../src/ops/createLogger.ts";
import { createMetrics } from "../../src/ops/createMetrics.ts";
import { installShutdown } from "../../src/ops/installShutdown.ts";
import { startOpsServer } from "../../src/ops/startOpsServer.ts";
import { openStore } from "../../src/store/openStore.ts";

const dir = process.argv[2] as string;
const logger = createLogger({ level: "info" });
const store = openStore({ path: join(dir, "worker.db") });
store.createJob(1n);
const server = await startOpsServer({ port: 0, metrics: createMetrics(), health: createHealth() });
let accepting = true;
const inFlight = new Promise<void>((resolve) => {
  process.once("SIGTERM", () =>
    setTimeout(() => {
      store.advanceJob(1n, "seen", "claiming");
      resolve();
    }, 300),
  );
});
installShutdown({
  logger,
  steps: [
    {
      name: "stop accepting",
      run: () => {
        accepting = false;
      },
    },
    { name: "ops server", run: () => server.close() },
    { name: "drain", run: () => inFlight },
    { name: "store", run: () => store.close() },
  ],
});
setInterval(() => accepting, 1_000);
process.stderr.write(`ready ${server.port}\n`);
