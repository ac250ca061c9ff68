// The sdk's errors share one base with @octo/circuits' (viem's manner: `shortMessage`, `details`, `cause`, `walk()`),
// so an app catches every Octo error, the crypto library's included, with one `instanceof BaseError`.
export { BaseError, type BaseErrorParameters } from "@octo/circuits";
