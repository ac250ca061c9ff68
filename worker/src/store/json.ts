/** JSON that round-trips bigint (as `{ "$bigint": "123" }`), for event args and job data stored as TEXT. */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v))
}

export function parse<T = unknown>(text: string | null | undefined): T {
  if (text === null || text === undefined) return undefined as T
  return JSON.parse(text, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && '$bigint' in v && Object.keys(v).length === 1
      ? BigInt((v as { $bigint: string }).$bigint)
      : v,
  ) as T
}
