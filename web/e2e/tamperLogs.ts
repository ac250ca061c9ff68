// The test's copy of the chain, tampered with: every eth_getLogs answer the page receives from the RPC has one 32-byte
// word replaced in its logs' data. The chain itself is untouched; only what this browser reads differs.
import type { Page } from "playwright-core";

type RpcMessage = { id?: unknown; method?: string; result?: unknown };

const word = (value: bigint) => value.toString(16).padStart(64, "0");

export async function tamperLogsWith(page: Page, rpcUrl: string, from: bigint, to: bigint): Promise<void> {
  await page.route(
    (url) => url.href.startsWith(rpcUrl),
    async (route) => {
      const sent = route.request().postDataJSON() as RpcMessage | RpcMessage[] | undefined;
      const calls = Array.isArray(sent) ? sent : [sent];
      if (!calls.some((c) => c?.method === "eth_getLogs")) return route.continue();
      const response = await route.fetch();
      const body = (await response.text()).replaceAll(word(from), word(to));
      await route.fulfill({ response, body });
    },
  );
}
