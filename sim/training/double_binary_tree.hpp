#pragma once
/// @brief The two complementary binary trees of NCCL's tree all-reduce, over the nodes of a job.
///
/// Tree 0 places member r at height tz(r) (its count of trailing zero bits): its parent is r with
/// its lowest set bit cleared and the next one set, or just cleared when that is out of range;
/// member 0 is the root. Tree 1 is tree 0 mirrored (r -> n-1-r) when n is even, shifted by one
/// when n is odd, so a member that is a leaf in one tree is interior in the other and every member
/// sends and receives about the same amount over both trees (Sanders, Speck, Träff, "Two-tree
/// algorithms for full bandwidth broadcast, reduction and scan", Parallel Computing 2009; NCCL
/// 2.4 release notes and NVIDIA/nccl src/graph/trees.cc).
#include <array>
#include <vector>

namespace dtsim::training {

/// parents[t][r]: the parent of member r in tree t, -1 for the root.
std::array<std::vector<int>, 2> double_binary_tree(int members);

/// Links from the deepest member to the root.
int tree_depth(const std::vector<int>& parent);

} // namespace dtsim::training
