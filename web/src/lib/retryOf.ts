// A failed action's "Try again": the same call with the same arguments. react-query keeps a mutation's last
// variables, so the notice repeats exactly the call that failed, not one rebuilt from a form edited since.

export type Retryable<V> = { isError: boolean; variables: V | undefined; mutate: (variables: V) => void };

/** The retry for `ErrorNotice`'s `onRetry`: undefined unless the last call failed. */
export function retryOf<V>(mutation: Retryable<V>): (() => void) | undefined {
  const { isError, variables, mutate } = mutation;
  if (!isError || variables === undefined) return undefined;
  return () => mutate(variables);
}
