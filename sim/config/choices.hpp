#pragma once
/// @brief The scenario's choice keys: each enum with one table of its texts, used for reading, printing and
/// the reference alike.
#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dtsim::config {

enum class IntraNode { nvswitch, nvlink_mesh, hybrid_cube_mesh, mi250x_node, pcie };
enum class Topology { single_switch, leaf_spine, rail_optimized, fat_tree, dragonfly, torus };
enum class StorageNetwork { shared, separate };
enum class DatasetLocation { synthetic, memory, local_nvme, nvme_of, appliance };
enum class StorageLayout { file_per_sample, records };
enum class Sharding { fixed, reshuffled };
enum class Transport { rdma, tcp };
enum class Offload { none, dpu };
/// automatic: chosen per collective by NCCL's cost model (ring or tree), torus on a torus network.
enum class AllReduceAlgorithm { automatic, ring, tree, hierarchical, torus };
/// NCCL's protocols; automatic: chosen per collective by NCCL's cost model.
enum class Protocol { automatic, ll, ll128, simple };
enum class BatchSplit { equal, by_speed };
enum class CheckpointStorage { local_nvme, nvme_of, appliance };
enum class CheckpointMode { blocking, background };
enum class CostModel { none, hourly, purchase };
enum class FailureModel { none, parts, nodes };

template <typename E> struct Choice {
  std::string_view text;
  E value;
};

template <typename E, std::size_t N> using ChoiceTable = std::array<Choice<E>, N>;

inline constexpr ChoiceTable<IntraNode, 5> intra_node_choices{{{"nvswitch", IntraNode::nvswitch},
                                                               {"nvlink-mesh", IntraNode::nvlink_mesh},
                                                               {"hybrid-cube-mesh", IntraNode::hybrid_cube_mesh},
                                                               {"mi250x-node", IntraNode::mi250x_node},
                                                               {"pcie", IntraNode::pcie}}};
inline constexpr ChoiceTable<Topology, 6> topology_choices{{{"single-switch", Topology::single_switch},
                                                            {"leaf-spine", Topology::leaf_spine},
                                                            {"rail-optimized", Topology::rail_optimized},
                                                            {"fat-tree", Topology::fat_tree},
                                                            {"dragonfly", Topology::dragonfly},
                                                            {"torus", Topology::torus}}};
inline constexpr ChoiceTable<StorageNetwork, 2> storage_network_choices{
    {{"shared", StorageNetwork::shared}, {"separate", StorageNetwork::separate}}};
inline constexpr ChoiceTable<DatasetLocation, 5> dataset_location_choices{{{"synthetic", DatasetLocation::synthetic},
                                                                           {"memory", DatasetLocation::memory},
                                                                           {"local-nvme", DatasetLocation::local_nvme},
                                                                           {"nvme-of", DatasetLocation::nvme_of},
                                                                           {"appliance", DatasetLocation::appliance}}};
inline constexpr ChoiceTable<StorageLayout, 2> storage_layout_choices{
    {{"file-per-sample", StorageLayout::file_per_sample}, {"records", StorageLayout::records}}};
inline constexpr ChoiceTable<Sharding, 2> sharding_choices{
    {{"fixed", Sharding::fixed}, {"reshuffled", Sharding::reshuffled}}};
inline constexpr ChoiceTable<Transport, 2> transport_choices{{{"rdma", Transport::rdma}, {"tcp", Transport::tcp}}};
inline constexpr ChoiceTable<Offload, 2> offload_choices{{{"none", Offload::none}, {"dpu", Offload::dpu}}};
inline constexpr ChoiceTable<AllReduceAlgorithm, 5> allreduce_choices{
    {{"auto", AllReduceAlgorithm::automatic},
     {"ring", AllReduceAlgorithm::ring},
     {"tree", AllReduceAlgorithm::tree},
     {"hierarchical", AllReduceAlgorithm::hierarchical},
     {"torus", AllReduceAlgorithm::torus}}};
inline constexpr ChoiceTable<Protocol, 4> protocol_choices{
    {{"auto", Protocol::automatic}, {"simple", Protocol::simple}, {"ll128", Protocol::ll128}, {"ll", Protocol::ll}}};
/// NCCL's own names of its protocols (NCCL_PROTO, its logs), as reports print them.
inline constexpr ChoiceTable<Protocol, 4> protocol_display_names{
    {{"auto", Protocol::automatic}, {"Simple", Protocol::simple}, {"LL128", Protocol::ll128}, {"LL", Protocol::ll}}};
inline constexpr ChoiceTable<BatchSplit, 2> batch_split_choices{
    {{"equal", BatchSplit::equal}, {"by-speed", BatchSplit::by_speed}}};
inline constexpr ChoiceTable<CheckpointStorage, 3> checkpoint_storage_choices{
    {{"local-nvme", CheckpointStorage::local_nvme},
     {"nvme-of", CheckpointStorage::nvme_of},
     {"appliance", CheckpointStorage::appliance}}};
inline constexpr ChoiceTable<CheckpointMode, 2> checkpoint_mode_choices{
    {{"blocking", CheckpointMode::blocking}, {"background", CheckpointMode::background}}};
inline constexpr ChoiceTable<CostModel, 3> cost_model_choices{
    {{"none", CostModel::none}, {"hourly", CostModel::hourly}, {"purchase", CostModel::purchase}}};
inline constexpr ChoiceTable<FailureModel, 3> failure_model_choices{
    {{"none", FailureModel::none}, {"parts", FailureModel::parts}, {"nodes", FailureModel::nodes}}};

/// The texts of `table`, in its order: a choice parameter's list.
template <typename E, std::size_t N> std::vector<std::string> texts(const ChoiceTable<E, N>& table)
{
  std::vector<std::string> all;
  for (const auto& c : table)
    all.emplace_back(c.text);
  return all;
}

/// The value `text` names. Validation admits only a table's texts, so a miss is a bug, never a fallback.
template <typename E, std::size_t N> E from_text(const ChoiceTable<E, N>& table, std::string_view text)
{
  const auto it = std::find_if(table.begin(), table.end(), [&](const Choice<E>& c) { return c.text == text; });
  if (it == table.end())
    throw std::logic_error("dtsim bug: \"" + std::string(text) + "\" is not in the choice table it is read with");
  return it->value;
}

template <typename E, std::size_t N> std::string text_of(const ChoiceTable<E, N>& table, E value)
{
  const auto it = std::find_if(table.begin(), table.end(), [&](const Choice<E>& c) { return c.value == value; });
  if (it == table.end())
    throw std::logic_error("dtsim bug: a value missing from its choice table");
  return std::string(it->text);
}

inline std::string to_string(IntraNode v)
{
  return text_of(intra_node_choices, v);
}
inline std::string to_string(Topology v)
{
  return text_of(topology_choices, v);
}
inline std::string to_string(DatasetLocation v)
{
  return text_of(dataset_location_choices, v);
}
inline std::string to_string(Transport v)
{
  return text_of(transport_choices, v);
}
inline std::string to_string(CheckpointStorage v)
{
  return text_of(checkpoint_storage_choices, v);
}
inline std::string to_string(AllReduceAlgorithm v)
{
  return text_of(allreduce_choices, v);
}
/// NCCL's name ("LL128", "Simple"), not the scenario's text.
inline std::string to_string(Protocol v)
{
  return text_of(protocol_display_names, v);
}

} // namespace dtsim::config
