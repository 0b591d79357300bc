#include "training/node_rings.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace dtsim::training {

namespace {

constexpr double unlimited = std::numeric_limits<double>::infinity();
constexpr long search_budget = 200'000; ///< extensions of a partial path, per ring

using Links = std::vector<engine::RouteLink>;
using Load = std::unordered_map<const void*, int>; ///< rings crossing each link

/// Depth-first search for the ring whose busiest link (bandwidth over the rings crossing it)
/// leaves the most bandwidth, given the rings found before; among those, the one crossing the
/// fewest links.
class RingSearch {
public:
  RingSearch(const NodeRoutes& routes, const NodeCrossings& crossings, Load& load)
      : routes_(routes)
      , crossings_(crossings)
      , load_(load)
      , visited_(routes.size(), false)
  {
    for (std::size_t a = 0; a < routes.size(); ++a)
      for (std::size_t b = 0; b < routes.size(); ++b)
        if (a != b)
          fewest_links_per_hop_ = std::min(fewest_links_per_hop_, routes[a][b].size());
  }

  std::vector<int> best()
  {
    const int starts = crossings_.leave.empty() ? 1 : static_cast<int>(routes_.size());
    for (int start = 0; start < starts; ++start) {
      path_ = {start};
      visited_[start] = true;
      // Coming back to the start device is part of every ring from it.
      const Links* back = crossings_.leave.empty() ? nullptr : &crossings_.come_back[start];
      const double bottleneck = back ? add(*back, 1) : unlimited;
      extend(bottleneck, back ? back->size() : 0);
      if (back)
        add(*back, -1);
      visited_[start] = false;
    }
    return best_;
  }

private:
  /// Adds (or, with -1, removes) a ring's use of the links; returns the bandwidth left per ring on
  /// the busiest of them.
  double add(const Links& links, int change)
  {
    double left = unlimited;
    for (const auto& link : links)
      left = std::min(left, link.bandwidth / (load_[link.id] += change));
    return left;
  }

  /// The links from the path's last device to the next node, or back to its first inside one node.
  const Links& closing() const
  {
    return crossings_.leave.empty() ? routes_[path_.back()][path_.front()] : crossings_.leave[path_.back()];
  }

  bool better(double bottleneck, std::size_t links) const
  {
    return best_.empty() || bottleneck > best_bottleneck_ || (bottleneck == best_bottleneck_ && links < best_links_);
  }

  void extend(double bottleneck, std::size_t links)
  {
    const std::size_t hops_left = routes_.size() - path_.size(); // ignoring the closing hop
    if (!better(bottleneck, links + hops_left * fewest_links_per_hop_) || ++steps_ > search_budget)
      return;
    if (path_.size() == routes_.size()) {
      const Links& close = closing();
      const double closed = std::min(bottleneck, add(close, 1));
      if (better(closed, links + close.size())) {
        best_bottleneck_ = closed;
        best_links_ = links + close.size();
        best_ = path_;
      }
      add(close, -1);
      return;
    }
    const int g = static_cast<int>(routes_.size());
    const int last = path_.back();
    for (int step = 1; step < g; ++step) {
      const int next = (last + step) % g;
      if (visited_[next])
        continue;
      visited_[next] = true;
      path_.push_back(next);
      extend(std::min(bottleneck, add(routes_[last][next], 1)), links + routes_[last][next].size());
      add(routes_[last][next], -1);
      path_.pop_back();
      visited_[next] = false;
    }
  }

  const NodeRoutes& routes_;
  const NodeCrossings& crossings_;
  Load& load_;
  std::vector<bool> visited_;
  std::vector<int> path_, best_;
  double best_bottleneck_ = -1;
  std::size_t best_links_ = 0;
  std::size_t fewest_links_per_hop_ = std::numeric_limits<std::size_t>::max();
  long steps_ = 0;
};

} // namespace

std::vector<std::vector<int>> node_rings(const NodeRoutes& routes, const NodeCrossings& crossings, int channels)
{
  Load load;
  std::vector<std::vector<int>> rings;
  for (int c = 0; c < channels; ++c) {
    rings.push_back(RingSearch(routes, crossings, load).best());
    const auto& ring = rings.back();
    const auto use = [&](const Links& links) {
      for (const auto& link : links)
        ++load[link.id];
    };
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
      use(routes[ring[i]][ring[i + 1]]);
    if (crossings.leave.empty()) {
      use(routes[ring.back()][ring.front()]);
    } else {
      use(crossings.leave[ring.back()]);
      use(crossings.come_back[ring.front()]);
    }
  }
  return rings;
}

} // namespace dtsim::training
