// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Settlement
/// @notice The money arithmetic of a job: escrow, and its split between provider, treasury and user.
/// @dev Invariant (fuzzed in test/contracts/libraries/Settlement.t.sol): providerAmount + feeAmount + refundAmount
///      == escrow, each part >= 0, and feeAmount <= payment × feeBps / 10_000.
library Settlement {
    /// @notice Basis points in one whole.
    uint256 internal constant BPS = 10_000;

    /// @notice What a job escrows: every token it may pay for at the most it may pay.
    /// @dev Cannot overflow: maxOutputTokens < 2^24 and maxPricePerToken < 2^80, so the product is < 2^104.
    function escrow(uint256 maxOutputTokens, uint256 maxPricePerToken) internal pure returns (uint256) {
        return maxOutputTokens * maxPricePerToken;
    }

    /// @notice Splits a job's escrow after delivery of `tokenCount` tokens at `pricePerToken`.
    /// @return providerAmount payment − fee, to the provider.
    /// @return feeAmount payment × feeBps / 10,000 (rounded down, in the provider's favour), to the treasury.
    /// @return refundAmount escrow − payment, back to the user.
    function split(uint256 escrowAmount, uint256 tokenCount, uint256 pricePerToken, uint256 feeBps)
        internal
        pure
        returns (uint256 providerAmount, uint256 feeAmount, uint256 refundAmount)
    {
        uint256 payment = tokenCount * pricePerToken;
        if (payment > escrowAmount) payment = escrowAmount;
        feeAmount = payment * feeBps / BPS;
        // Underflow not possible: feeAmount <= payment (feeBps <= BPS is enforced by the caller's cap) and
        // payment <= escrowAmount (clamped above).
        unchecked {
            providerAmount = payment - feeAmount;
            refundAmount = escrowAmount - payment;
        }
    }
}
