/**
 * A real local chain (tests, `npm start`): anvil from the npm package @foundry-rs/anvil (its binary ships in the platform
 * package; no download), on a free port, chain id 31337, the usual ten funded accounts.
 *
 *   const chain = await startAnvil()          // { url, port, rpc(method, params), stop() }
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

export type Anvil = {
  url: string;
  port: number;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
};

const require = createRequire(import.meta.url);

function anvilBinary(): string {
  const pkg = require.resolve("@foundry-rs/anvil/package.json");
  const platform = `@foundry-rs/anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;
  return createRequire(pkg).resolve(`${platform}/bin/anvil`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startAnvil({ args = [], port: wanted }: { args?: string[]; port?: number } = {}): Promise<Anvil> {
  const port = wanted ?? (await freePort());
  const child = spawn(anvilBinary(), ["--host", "127.0.0.1", "--port", String(port), "--silent", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    cwd: dirname(join(anvilBinary(), "..")),
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  let id = 0;
  async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    });
    const body = (await res.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited (${child.exitCode}): ${stderr}`);
    try {
      await rpc("eth_chainId");
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`anvil did not start on ${url}: ${String(error)} ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return {
    url,
    port,
    rpc,
    async stop() {
      // A process killed by a signal has exitCode null and signalCode set: both mean it is gone.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
