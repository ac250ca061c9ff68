// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title SortitionSumTree
/// @notice A K-ary sum tree of weighted accounts (after Kleros' SortitionSumTreeFactory): set an account's weight and
///         draw an account with probability weight / total, both in O(K · log_K n) storage reads and writes.
/// @dev Leaves hold weights, every inner node the sum of its children; nodes[0] is the root (the total). An account
///      keeps its leaf for life (a weight of 0 leaves it in place): there is no vacancy stack, so a leaf can never be
///      reused while the tree still points at it (the reuse of a vacant parent is where Kleros' version needs care).
///      Appending the first child of a leaf moves that leaf's account one place down, to be the second child; the
///      former leaf becomes an inner node holding the same sum, so no ancestor changes but those of the new leaf.
///      Zero-weight leaves are never drawn: a draw descends only into children whose sum exceeds what is left.
library SortitionSumTree {
    /// @notice Children per inner node.
    uint256 internal constant K = 4;

    /// @notice An account's weight exceeds what the tree can sum (2^128 − 1 per account).
    error SortitionWeightTooLarge(uint256 weight);

    struct Tree {
        uint256[] nodes;
        mapping(address account => uint256 index) indexOf;
        mapping(uint256 index => address account) accountAt;
    }

    /// @notice Sets `account`'s weight to `weight` (adding its leaf on first use with a non-zero weight).
    function set(Tree storage tree, address account, uint256 weight) internal {
        require(weight <= type(uint128).max, SortitionWeightTooLarge(weight));
        uint256 index = tree.indexOf[account];
        if (index == 0) {
            if (weight == 0) return;
            if (tree.nodes.length == 0) tree.nodes.push(0);
            index = tree.nodes.length;
            tree.nodes.push(weight);
            // The first child of node p is K·p + 1: when the new leaf is one, p was a leaf and moves to K·p + 2.
            if (index != 1 && (index - 1) % K == 0) {
                uint256 parent = (index - 1) / K;
                address moved = tree.accountAt[parent];
                uint256 movedTo = index + 1;
                tree.nodes.push(tree.nodes[parent]);
                delete tree.accountAt[parent];
                tree.indexOf[moved] = movedTo;
                tree.accountAt[movedTo] = moved;
            }
            tree.indexOf[account] = index;
            tree.accountAt[index] = account;
            _addToAncestors(tree, index, weight, true);
            return;
        }
        uint256 old = tree.nodes[index];
        if (old == weight) return;
        tree.nodes[index] = weight;
        if (weight > old) _addToAncestors(tree, index, weight - old, true);
        else _addToAncestors(tree, index, old - weight, false);
    }

    /// @notice The sum of all weights.
    function total(Tree storage tree) internal view returns (uint256) {
        return tree.nodes.length == 0 ? 0 : tree.nodes[0];
    }

    /// @notice An account's weight.
    function weightOf(Tree storage tree, address account) internal view returns (uint256) {
        uint256 index = tree.indexOf[account];
        return index == 0 ? 0 : tree.nodes[index];
    }

    /// @notice The account owning the `ticket % total`-th unit of weight (accounts in leaf order); zero when the tree
    ///         is empty. Each account is drawn with probability weight / total for a uniform ticket.
    function draw(Tree storage tree, uint256 ticket) internal view returns (address) {
        uint256 length = tree.nodes.length;
        if (length == 0 || tree.nodes[0] == 0) return address(0);
        uint256 left = ticket % tree.nodes[0];
        uint256 index;
        while (K * index + 1 < length) {
            uint256 next;
            for (uint256 i = 1; i <= K; ++i) {
                uint256 child = K * index + i;
                if (child >= length) break;
                uint256 value = tree.nodes[child];
                if (left < value) {
                    next = child;
                    break;
                }
                left -= value;
            }
            // Cannot stay 0: the children of a node sum to its value, and left < its value.
            index = next;
        }
        return tree.accountAt[index];
    }

    function _addToAncestors(Tree storage tree, uint256 index, uint256 delta, bool up) private {
        while (index != 0) {
            index = (index - 1) / K;
            if (up) tree.nodes[index] += delta;
            else tree.nodes[index] -= delta;
        }
    }
}
