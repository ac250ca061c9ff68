// `pnpm --filter @octo/web start -- <deployments.json> <rpc url> [port]`: serves the app for a market already running
// (e.g. `npm start`: deployments/31337.json, http://127.0.0.1:8545). Building first when needed.
// Stream URLs: OCTO_STREAM_URLS='{"<provider>": "<url>"}'.
import { startWeb } from "./startWeb.ts";

const [deploymentsPath = "../deployments/31337.json", rpcUrl = "http://127.0.0.1:8545", port] = process.argv
  .slice(2)
  .filter((a) => a !== "--");
const streamUrls = process.env.OCTO_STREAM_URLS
  ? (JSON.parse(process.env.OCTO_STREAM_URLS) as Record<string, string>)
  : {};
console.log("building the app if needed, then serving it…");
const web = await startWeb({
  deploymentsPath,
  rpcUrl,
  streamUrls,
  ...(port ? { port: Number(port) } : {}),
  onOutput: (line) => console.log(`  ${line}`),
});
console.log(`\nthe app: ${web.url}   (Ctrl-C stops it)`);
const stop = async () => {
  await web.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
