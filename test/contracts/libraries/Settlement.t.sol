// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Settlement} from "../../../contracts/libraries/Settlement.sol";

/// @notice Fuzz tests of the payout split: it conserves the escrow, never pays more than the price, and the fee
///         respects its basis points.
contract SettlementTest {
    function testFuzz_split_partsSumToEscrow(uint24 maxTokens, uint80 maxPrice, uint24 tokens, uint80 price, uint16 feeBps)
        public
        pure
    {
        maxTokens = uint24(maxTokens % (1 << 20));
        tokens = maxTokens == 0 ? 0 : uint24(tokens % (uint256(maxTokens) + 1));
        price = maxPrice == 0 ? 0 : uint80(price % (uint256(maxPrice) + 1));
        feeBps = uint16(feeBps % 1_001);
        uint256 escrow = Settlement.escrow(maxTokens, maxPrice);
        (uint256 provider, uint256 fee, uint256 refund) = Settlement.split(escrow, tokens, price, feeBps);
        require(provider + fee + refund == escrow, "not conserved");
        require(provider + fee == uint256(tokens) * price, "payment is not tokens x price");
        require(fee == (provider + fee) * feeBps / 10_000, "fee off");
    }

    function testFuzz_split_clampsPaymentToEscrow(uint128 escrow, uint24 tokens, uint80 price, uint16 feeBps) public pure {
        feeBps = uint16(feeBps % 1_001);
        (uint256 provider, uint256 fee, uint256 refund) = Settlement.split(escrow, tokens, price, feeBps);
        require(provider + fee + refund == escrow, "not conserved");
        require(provider + fee <= escrow, "paid above escrow");
    }

    function test_split_zeroTokensRefundsAll() public pure {
        (uint256 provider, uint256 fee, uint256 refund) = Settlement.split(5_120, 0, 10, 250);
        require(provider == 0 && fee == 0 && refund == 5_120, "zero tokens must refund all");
    }
}
