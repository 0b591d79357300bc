// NCCL-style double binary tree: structure, and the tree all-reduce against its closed form.
#include "training/double_binary_tree.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

using dtsim::training::double_binary_tree;
using dtsim::training::tree_depth;

TEST_CASE("training: the first tree of 8 members is the in-order binary tree rooted at 0")
{
  const auto parents = double_binary_tree(8);
  CHECK(parents[0] == std::vector<int>{-1, 2, 4, 2, 0, 6, 4, 6});
  CHECK(parents[1] == std::vector<int>{1, 3, 1, 7, 5, 3, 5, -1}); // mirrored: r -> 7 - r, root 7
  CHECK(tree_depth(parents[0]) == 3);
}

TEST_CASE("training: in both trees every member reaches one root, and no member has more than 3 links down")
{
  for (const int n : {2, 3, 5, 8, 13, 64, 100}) {
    INFO(n);
    const auto parents = double_binary_tree(n);
    std::vector<int> children(n, 0);
    for (const auto& parent : parents) {
      int roots = 0;
      for (int r = 0; r < n; ++r) {
        roots += parent[r] < 0;
        if (parent[r] >= 0)
          ++children[parent[r]];
        int hops = 0;
        for (int x = r; parent[x] >= 0 && hops <= n; x = parent[x])
          ++hops;
        CHECK(hops <= n); // no cycle
      }
      CHECK(roots == 1);
      CHECK(tree_depth(parent) <= 1 + static_cast<int>(std::log2(n)));
    }
    // Interior in one tree, leaf in the other: at most 2 + 1 children over both trees.
    for (int r = 0; r < n; ++r)
      CHECK(children[r] <= 3);
  }
}
