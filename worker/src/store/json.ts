/** JSON that round-trips bigint (as `{ "$bigint": "123" }`), for event args and job data stored as TEXT. */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? { $bigint: v.toString() } : v));
}

export function parse<T = unknown>(text: string | null | undefined): T {
  if (text === null || text === undefined) return undefined as T;
  // A plain parse plus one walk over the objects, not a JSON.parse reviver: the reviver is called for every value
  // (each of a job's token offsets, proof and ciphertext elements) and made parsing ~20× slower; the pipeline parses
  // every live job on each of its ticks.
  return reviveBigints(JSON.parse(text)) as T;
}

function reviveBigints(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null) value[i] = reviveBigints(item);
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  if ("$bigint" in record && Object.keys(record).length === 1) return BigInt(record.$bigint as string);
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item !== "object" || item === null) continue;
    const revived = reviveBigints(item);
    if (revived !== item) record[key] = revived;
  }
  return record;
}
