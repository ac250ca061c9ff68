// A `curl` line that asks the gateway one chat question: what `npm start` prints so that anyone can try the API.
/** Quotes a string for a POSIX shell. */
const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function curlExample({
  baseURL,
  apiKey,
  model,
  question = "17 + 25",
  maxTokens = 8,
}: {
  baseURL: string;
  apiKey: string;
  model: string;
  question?: string;
  maxTokens?: number;
}): string {
  const body = JSON.stringify({ model, messages: [{ role: "user", content: question }], max_tokens: maxTokens });
  return `curl -sS ${shellQuote(`${baseURL}/chat/completions`)} -H ${shellQuote(`Authorization: Bearer ${apiKey}`)} -H 'Content-Type: application/json' -d ${shellQuote(body)}`;
}
