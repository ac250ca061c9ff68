// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ResultStatement} from "../../../contracts/libraries/ResultStatement.sol";

/// @dev External entry point so reverts can be caught with try/catch.
contract ResultStatementHarness {
    function pack(uint256 jobId, address provider, uint256 chunkIndex, uint256 byteLength, uint256 tokenCount, uint256 maxTokens)
        external
        pure
        returns (uint256)
    {
        return ResultStatement.pack(jobId, provider, chunkIndex, byteLength, tokenCount, maxTokens);
    }
}

/// @notice ResultStatement.pack agrees with circuits/src/statement.ts (packStatement) and refuses out-of-range fields.
contract ResultStatementTest {
    ResultStatementHarness private harness = new ResultStatementHarness();

    /// @dev Vector from circuits/test/library.test.ts ("packs into the documented layout").
    function test_pack_matchesTypeScriptVector() public view {
        uint256 packed = harness.pack(123, address(0xaa), 2, 1984, 500, 1000);
        require(packed == (123 | (0xaa << 40) | (2 << 200) | (1984 << 208) | (500 << 219) | (1000 << 230)), "layout");
        require(packed >> 250 == 0, "fits in 250 bits");
    }

    function testFuzz_pack_unpacksToItsFields(uint40 jobId, address provider, uint8 chunkIndex, uint16 byteLength, uint16 tokens, uint24 maxTokens)
        public
        view
    {
        byteLength = uint16(byteLength % 1985);
        tokens = uint16(tokens % 2048);
        maxTokens = uint24(maxTokens % (1 << 20));
        uint256 s = harness.pack(jobId, provider, chunkIndex, byteLength, tokens, maxTokens);
        require(s & ((1 << 40) - 1) == jobId, "jobId");
        require(address(uint160(s >> 40)) == provider, "provider");
        require((s >> 200) & 0xff == chunkIndex, "chunkIndex");
        require((s >> 208) & 0x7ff == byteLength, "byteLength");
        require((s >> 219) & 0x7ff == tokens, "tokenCount");
        require(s >> 230 == maxTokens, "maxTokens");
    }

    function test_pack_revertsOnOutOfRangeFields() public view {
        _expectRevert(abi.encodeCall(harness.pack, (1 << 40, address(1), 0, 0, 0, 0)), ResultStatement.ResultStatementJobIdTooLarge.selector);
        _expectRevert(abi.encodeCall(harness.pack, (1, address(1), 256, 0, 0, 0)), ResultStatement.ResultStatementChunkIndexTooLarge.selector);
        _expectRevert(abi.encodeCall(harness.pack, (1, address(1), 0, 1985, 0, 0)), ResultStatement.ResultStatementByteLengthTooLarge.selector);
        _expectRevert(abi.encodeCall(harness.pack, (1, address(1), 0, 0, 2048, 0)), ResultStatement.ResultStatementTokenCountTooLarge.selector);
        _expectRevert(abi.encodeCall(harness.pack, (1, address(1), 0, 0, 0, 1 << 20)), ResultStatement.ResultStatementMaxTokensTooLarge.selector);
    }

    function _expectRevert(bytes memory call, bytes4 selector) private view {
        (bool ok, bytes memory ret) = address(harness).staticcall(call);
        require(!ok, "expected a revert");
        require(ret.length >= 4 && bytes4(ret) == selector, "wrong error");
    }
}
