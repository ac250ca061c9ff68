/**
 * Names a revert from the ABI: walks a viem error to `ContractFunctionRevertedError` and formats it as
 * `ErrorName(arg=value, …)`. Returns null when the error is not a revert (an RPC failure, say).
 *
 * API: decodeRevert(error): { errorName: string | null; args; formatted } | null
 */
import { BaseError as ViemBaseError, ContractFunctionRevertedError } from 'viem'

export type DecodeRevertReturnType = {
  errorName: string | null
  args: Record<string, unknown> | readonly unknown[] | undefined
  formatted: string
} | null

export function decodeRevert(error: unknown): DecodeRevertReturnType {
  if (!(error instanceof ViemBaseError)) return null
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError)
  if (!(revert instanceof ContractFunctionRevertedError)) return null
  const data = revert.data
  if (data) {
    const inputs = 'inputs' in data.abiItem ? data.abiItem.inputs : []
    const values = (data.args ?? []) as readonly unknown[]
    const named = inputs.length > 0 && inputs.every((i) => i.name)
    const args = named ? Object.fromEntries(inputs.map((i, k) => [i.name as string, values[k]])) : values
    const shown = inputs.map((input, k) => (input.name ? `${input.name}=${show(values[k])}` : show(values[k]))).join(', ')
    return { errorName: data.errorName, args, formatted: `${data.errorName}(${shown})` }
  }
  if (revert.reason) return { errorName: 'Error', args: [revert.reason], formatted: `Error(${JSON.stringify(revert.reason)})` }
  return { errorName: null, args: undefined, formatted: revert.signature ? `unknown error ${revert.signature}` : 'revert without data' }
}

function show(value: unknown): string {
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string') return value
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}
