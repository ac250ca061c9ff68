// `npm start` serves on the ports a newcomer expects (8545 for the chain, 3000 for the app, …) when they are free,
// and on free ones when something else holds them, instead of failing.
import { createServer } from "node:net";
import { freePort } from "@octo/devnet";

export async function preferredPort(port: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
  return free ? port : freePort();
}
