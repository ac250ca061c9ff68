// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SortitionSumTree} from "../../../contracts/libraries/SortitionSumTree.sol";

/// @notice The sortition tree against a plain list of weights: after any sequence of weight changes the total is
///         the sum, and walking every ticket 0..total−1 draws each account exactly its weight times (so a uniform
///         ticket draws it with probability weight / total); zero-weight accounts are never drawn.
contract SortitionSumTreeTest {
    using SortitionSumTree for SortitionSumTree.Tree;

    uint256 internal constant ACCOUNTS = 23; // enough for three levels with K = 4 (1 + 4 + 16 < 23)

    SortitionSumTree.Tree internal _tree;
    uint256[ACCOUNTS] internal _weights;
    uint256[ACCOUNTS] internal _counts;

    function testFuzz_set_drawsEachAccountExactlyItsWeight(uint256 seed, uint8 steps) public {
        uint256 n = 1 + uint256(steps) % 60;
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 who = r % ACCOUNTS;
            // Small weights, a third of them zero, so that leaves are emptied and refilled.
            uint256 weight = (r >> 8) % 3 == 0 ? 0 : (r >> 16) % 5;
            _tree.set(_account(who), weight);
            _weights[who] = weight;
        }
        _checkAgainstList();
    }

    function test_draw_emptyTreeDrawsNobody() public view {
        require(_tree.draw(12345) == address(0), "empty tree drew someone");
        require(_tree.total() == 0, "empty total");
    }

    function test_set_zeroWeightAccountIsNeverDrawn() public {
        _tree.set(_account(0), 3);
        _tree.set(_account(1), 0);
        _tree.set(_account(2), 2);
        _tree.set(_account(0), 0);
        for (uint256 t; t < 20; ++t) {
            require(_tree.draw(t) == _account(2), "drew a zero-weight account");
        }
    }

    function test_draw_largeWeightsFollowTheirShare() public {
        // One account of weight 3·2^100 against one of 2^100: tickets below 2^100 · (its leaf share) hit each range.
        _tree.set(_account(0), 3 << 100);
        _tree.set(_account(1), 1 << 100);
        require(_tree.total() == 4 << 100, "total");
        require(_tree.draw(0) == _account(0), "first unit");
        require(_tree.draw((3 << 100) - 1) == _account(0), "last unit of the first");
        require(_tree.draw(3 << 100) == _account(1), "first unit of the second");
        require(_tree.draw((4 << 100) + 5) == _account(0), "ticket taken modulo the total");
    }

    function test_set_rejectsWeightAbove128Bits() public {
        try this.setExternal(_account(0), uint256(type(uint128).max) + 1) {
            revert("accepted a weight that could overflow the sums");
        } catch (bytes memory reason) {
            require(bytes4(reason) == SortitionSumTree.SortitionWeightTooLarge.selector, "wrong error");
        }
    }

    function setExternal(address account, uint256 weight) external {
        _tree.set(account, weight);
    }

    function _checkAgainstList() internal {
        uint256 sum;
        for (uint256 i; i < ACCOUNTS; ++i) {
            sum += _weights[i];
            require(_tree.weightOf(_account(i)) == _weights[i], "weight");
        }
        require(_tree.total() == sum, "total is not the sum of weights");
        for (uint256 t; t < sum; ++t) {
            address drawn = _tree.draw(t);
            uint256 who = uint160(drawn) - 0x5000;
            require(who < ACCOUNTS, "drew an unknown account");
            _counts[who] += 1;
        }
        for (uint256 i; i < ACCOUNTS; ++i) {
            require(_counts[i] == _weights[i], "an account was drawn other than its weight times");
        }
    }

    function _account(uint256 i) internal pure returns (address) {
        return address(uint160(0x5000 + i));
    }
}
