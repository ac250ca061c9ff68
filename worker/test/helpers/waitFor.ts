/** Waits until `condition` holds (checked every `intervalMs`), failing after a generous `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  {
    timeoutMs = 60_000,
    intervalMs = 20,
    message = "condition",
  }: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Waits until `fn` returns a value (not undefined or false) and returns it. */
export async function waitForValue<T>(
  fn: () => Promise<T | undefined | false>,
  {
    timeoutMs = 120_000,
    intervalMs = 200,
    message = "a value",
  }: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<T> {
  let value: T | undefined | false;
  await waitFor(async () => (value = await fn()) !== undefined && value !== false, { timeoutMs, intervalMs, message });
  return value as T;
}
