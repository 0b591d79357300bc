#include "training/double_binary_tree.hpp"

#include <algorithm>

namespace dtsim::training {

namespace {
int parent_in_first_tree(int member, int members)
{
  if (member == 0)
    return -1;
  const int lowest = member & -member;
  const int parent = (member ^ lowest) | (lowest << 1);
  return parent < members ? parent : member ^ lowest;
}
} // namespace

std::array<std::vector<int>, 2> double_binary_tree(int members)
{
  std::array<std::vector<int>, 2> parents;
  const bool mirror = members % 2 == 0;
  const auto to_second = [&](int r) { return mirror ? members - 1 - r : (r + 1) % members; };
  const auto from_second = [&](int r) { return mirror ? members - 1 - r : (r + members - 1) % members; };
  for (int r = 0; r < members; ++r) {
    parents[0].push_back(parent_in_first_tree(r, members));
    const int p = parent_in_first_tree(from_second(r), members);
    parents[1].push_back(p < 0 ? -1 : to_second(p));
  }
  return parents;
}

int tree_depth(const std::vector<int>& parent)
{
  int deepest = 0;
  for (int member = 0; member < static_cast<int>(parent.size()); ++member) {
    int depth = 0;
    for (int r = member; parent[r] >= 0; r = parent[r])
      ++depth;
    deepest = std::max(deepest, depth);
  }
  return deepest;
}

} // namespace dtsim::training
