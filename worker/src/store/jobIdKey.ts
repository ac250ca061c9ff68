// Job ids are bigints everywhere in the worker; SQLite keeps them as text (`job_id`), exact at any size. These two
// functions are the only place the two forms meet.

/** The text key a job id is stored under. */
export const idKey = (jobId: bigint): string => jobId.toString();

/** The job id a stored key stands for. */
export const fromKey = (key: string): bigint => BigInt(key);
