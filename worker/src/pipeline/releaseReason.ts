/** IJobMarket.ReleaseReason: why a provider hands a claimed job back. Up to KeyNotDelivered the input was at fault
 *  (the user is refunded); from ModelUnavailable on the provider was (the job is reopened to anyone). */
export const RELEASE_REASON = { InputUndecryptable: 1, PromptTooLong: 2, KeyNotDelivered: 3, ModelUnavailable: 4, OutOfCapacity: 5 } as const;
export type ReleaseReasonName = keyof typeof RELEASE_REASON;
