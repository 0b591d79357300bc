#include "config/parameters.hpp"

#include "config/choices.hpp"
#include "config/scenario.hpp"
#include "config/value_reader.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>
#include <type_traits>

namespace dtsim::config {

using units::Dimension;

namespace {

/// Bounds written with their unit, as errors and the reference print them.
struct Range {
  std::string lowest;
  std::string smallest_positive; ///< the lowest value of a key that cannot be zero
  std::string highest;
};

/// The physical bounds of a value of `dim`, for every parameter that does not state its own. Counts and
/// plain numbers stop at a million: the engine spawns actors and links per node, device, NIC, drive and worker.
/// A size that cannot be zero is at least a byte, a duration a nanosecond: below, the model would split work
/// into more pieces (buckets, requests) than it can ever finish.
Range physical_range(Dimension dim)
{
  switch (dim) {
  case Dimension::size:
    return {"0 B", "1 B", "1 EB"};
  case Dimension::bandwidth:
    return {"1 B/s", "1 B/s", "1 EB/s"};
  case Dimension::time:
    return {"0 s", "1 ns", "1 h"};
  case Dimension::power:
    return {"0 W", "1 W", "1000 MW"};
  case Dimension::flop_count:
    return {"0 FLOP", "1 FLOP", "1 EFLOP"};
  case Dimension::flop_rate:
    return {"0 FLOPS", "1 FLOPS", "1 EFLOPS"};
  case Dimension::number:
    return {"0", "0", "1000000"};
  }
  return {"0", "0", "0"};
}

/// The kind of value a parameter's bounds are written in: plain numbers for integers and numbers.
Dimension bound_dimension(const Parameter& p)
{
  return p.kind == ValueKind::quantity ? p.dimension : Dimension::number;
}

Parameter at_least(Parameter p, std::string lowest, bool inclusive)
{
  p.minimum = units::parse(lowest, bound_dimension(p));
  p.minimum_inclusive = inclusive;
  p.minimum_text = std::move(lowest);
  return p;
}

Parameter at_most(Parameter p, std::string highest)
{
  p.maximum = units::parse(highest, bound_dimension(p));
  p.maximum_text = std::move(highest);
  return p;
}

Parameter make(std::string path, ValueKind kind, Dimension dim = Dimension::number)
{
  Parameter p;
  p.path = std::move(path);
  p.kind = kind;
  p.dimension = dim;
  return p;
}

/// A number or count whose lowest value is `minimum`, below the default maximum.
Parameter numeric(Parameter p, double minimum, bool inclusive)
{
  return at_most(at_least(std::move(p), fmt::format("{:g}", minimum), inclusive),
                 physical_range(Dimension::number).highest);
}

Parameter integer(std::string path, Presence presence, std::string fallback, double minimum, std::string help)
{
  Parameter p = numeric(make(std::move(path), ValueKind::integer), minimum, true);
  p.presence = presence;
  p.default_value = std::move(fallback);
  p.help = std::move(help);
  return p;
}

Parameter number(std::string path, Presence presence, std::string fallback, double minimum, bool inclusive,
                 std::string help)
{
  Parameter p = numeric(make(std::move(path), ValueKind::number), minimum, inclusive);
  p.presence = presence;
  p.default_value = std::move(fallback);
  p.help = std::move(help);
  return p;
}

Parameter quantity(std::string path, Dimension dim, Presence presence, std::string fallback, bool zero_allowed,
                   std::string help)
{
  const Range range = physical_range(dim);
  Parameter p = at_most(at_least(make(std::move(path), ValueKind::quantity, dim),
                                 zero_allowed ? range.lowest : range.smallest_positive, true),
                        range.highest);
  p.presence = presence;
  p.default_value = std::move(fallback);
  p.help = std::move(help);
  return p;
}

Parameter text(std::string path, Presence presence, std::string fallback, std::string help)
{
  Parameter p = make(std::move(path), ValueKind::text);
  p.presence = presence;
  p.default_value = std::move(fallback);
  p.help = std::move(help);
  return p;
}

Parameter choice(std::string path, std::vector<std::string> choices, Presence presence, std::string fallback,
                 std::string help)
{
  Parameter p = make(std::move(path), ValueKind::choice);
  p.choices = std::move(choices);
  p.presence = presence;
  p.default_value = std::move(fallback);
  p.help = std::move(help);
  return p;
}

Parameter boolean(std::string path, std::string fallback, std::string help)
{
  Parameter p = make(std::move(path), ValueKind::boolean);
  p.presence = Presence::defaulted;
  p.default_value = std::move(fallback);
  p.help = std::move(help);
  return p;
}

/// `p` applies also when `key` has one of `values` (or, with none, is set).
Parameter when(Parameter p, std::string key, std::vector<std::string> values = {})
{
  p.applies_when.push_back({{std::move(key), std::move(values)}});
  return p;
}

/// `p` applies only while `key` is not set (or, given `values`, has none of them), on top of the conditions given
/// so far: its when()s come first.
Parameter unless(Parameter p, const std::string& key, const std::vector<std::string>& values = {})
{
  const Condition absent{key, values, true};
  if (p.applies_when.empty())
    p.applies_when.push_back({});
  for (auto& clause : p.applies_when)
    clause.push_back(absent);
  return p;
}

/// `p` applies also when all of `conditions` hold.
Parameter when_all(Parameter p, std::vector<Condition> conditions)
{
  p.applies_when.push_back(std::move(conditions));
  return p;
}

/// `p` applies when the dataset or the checkpoints are on storage of kind `where` ("nvme-of"), and `also` holds.
Parameter when_stored_on(Parameter p, const std::string& where, const std::vector<Condition>& also = {})
{
  for (const char* key : {"storage.dataset_on", "checkpoint.to"}) {
    std::vector<Condition> clause{{key, {where}}};
    clause.insert(clause.end(), also.begin(), also.end());
    p = when_all(std::move(p), clause);
  }
  return p;
}

/// Binds `p` to `field` of the scenario's `section`: its value (in SI units; 1 or 0 for true or false; text for a
/// text field) is copied there. The key's range keeps the value inside what the field holds.
template <typename Section, typename Field>
Parameter bound_to(Parameter p, Section Scenario::*section, Field Section::*field)
{
  p.set = [section, field](Scenario& s, const ResolvedValue& v) {
    if constexpr (std::is_same_v<Field, std::string>)
      (s.*section).*field = v.text;
    else
      (s.*section).*field = static_cast<Field>(v.number);
  };
  return p;
}

/// Binds the choice key `p` to the enum `field` of the scenario's `section`, read through `table`.
template <typename Section, typename E, std::size_t N>
Parameter bound_to(Parameter p, Section Scenario::*section, E Section::*field, const ChoiceTable<E, N>& table)
{
  p.set = [section, field, &table](Scenario& s, const ResolvedValue& v) {
    (s.*section).*field = from_text(table, v.text);
  };
  return p;
}

/// Marks a parameter's default as resting on an assumption; `dtsim run` lists it when used.
Parameter assumed(Parameter p, std::string why)
{
  p.assumption = std::move(why);
  return p;
}

/// failures.PART_mtbf, a mean time between failures that stop the job, for failures.model `model`.
Parameter failure_mtbf(const std::string& part, std::string help, std::string model)
{
  return when(at_most(quantity("failures." + part + "_mtbf", Dimension::time, Presence::optional, "", false,
                               std::move(help)),
                      "1e9 h"),
              "failures.model", {std::move(model)});
}

/// The MTBF of one kind of part for failures.model parts, `what` naming a unit of it.
Parameter part_mtbf(const std::string& part, const std::string& what)
{
  return failure_mtbf(part, what + ": mean time between failures that stop the job. Default: catalog/reliability.yaml.",
                      "parts");
}

constexpr auto required = Presence::required;
constexpr auto defaulted = Presence::defaulted;
constexpr auto optional = Presence::optional;

} // namespace

const std::vector<Parameter>& scenario_parameters()
{
  static const std::vector<Parameter> table{
      integer("version", required, "", 1,
              "Scenario format version. This is format 1; later formats read or migrate it."),
      text("name", defaulted, "\"\"", "Free text naming the scenario in reports."),
      text("catalog", optional, "",
           "A catalog file of your own, relative to the scenario's folder: accelerators, NICs and drives in the "
           "format of catalog/*.yaml (any of the sections accelerators:, nics:, drives:), each figure with its "
           "source or assumption. Its entries join the catalog under their own names; a name the catalog already "
           "has is an error."),
      at_most(integer("seed", defaulted, "1", 0,
                      "Seed of every random choice; the same scenario and seed give identical results."),
              "9007199254740992"),

      bound_to(integer("cluster.nodes", required, "", 1, "Number of compute nodes."), &Scenario::cluster,
               &ClusterSpec::nodes),
      text("cluster.node", optional, "",
           "A named node from topologies/ (dgx-a100, dgx-h100, dgx1-v100, frontier-node, mi300x-platform, tpu-v4-host, "
           "tpu-v5e-host) or a path to such a file: it sets every "
           "cluster key below that the scenario does not set itself."),
      text("cluster.accelerator", required, "",
           "Accelerator model, a name from catalog/accelerators.yaml (for example A100-SXM4-80GB)."),
      bound_to(integer("cluster.accelerators_per_node", required, "", 1,
                       "Accelerators in each node; each is one data-parallel worker."),
               &Scenario::cluster, &ClusterSpec::accelerators_per_node),
      assumed(bound_to(integer("cluster.cpu_cores_per_node", defaulted, "64", 1,
                               "Physical CPU cores per node that run the input pipeline (decode and augmentation)."),
                       &Scenario::cluster, &ClusterSpec::cpu_cores_per_node),
              "A DGX A100 has 128 cores (two AMD EPYC 7742); 64 assumes half of a node's cores serve the loaders."),
      assumed(text("cluster.cpu", defaulted, "Xeon-Platinum-8124M",
                   "CPU model of the nodes, a name from catalog/cpus.yaml: its hardware threads per core and the "
                   "per-core rates at which it decodes and resizes JPEG images."),
              "pillow-perf's reference core (a 3.0 GHz Skylake-SP Xeon) stands in for a CPU the scenario does not "
              "name."),
      assumed(
          at_most(
              bound_to(
                  number(
                      "cluster.smt_yield", defaulted, "0.25", 0, true,
                      "Throughput a core's second hardware thread adds, as a fraction of one core, when the CPU has "
                      "two threads per core (Hyper-Threading, SMT): the node's input pipeline runs on cores x (1 + "
                      "smt_yield) core-equivalents. On GPU nodes each device's training process holds one hardware "
                      "thread: CUDA's default scheduling (cudaDeviceScheduleAuto) spins while it waits for the device "
                      "when a process has fewer CUDA contexts than the machine has logical processors (CUDA Runtime "
                      "API, cudaSetDeviceFlags), so those threads do not serve the loaders."),
                  &Scenario::cluster, &ClusterSpec::smt_yield),
              "1"),
          "No primary measurement of the second thread's yield on image decoding was found; Intel introduced "
          "Hyper-Threading with 'up to 30%' more throughput (Marr et al., Intel Technology Journal 6(1), 2002), "
          "and 0.25 is taken below that."),
      bound_to(
          choice(
              "cluster.intra_node", texts(intra_node_choices), defaulted, "nvswitch",
              "How accelerators inside a node are connected: a non-blocking NVSwitch, a direct mesh with each pair "
              "linked (NVLink, or the Infinity Fabric of an 8 x MI300X platform), the 8-GPU hybrid cube-mesh of the "
              "DGX-1 with V100, the 8 GCDs of 4 MI250X (mi250x-node), or PCIe through the host bridge. "
              "hybrid-cube-mesh: 6 NVLinks per GPU, each intra_node_bandwidth / 6, wired as nvidia-smi topo -m shows "
              "on 8 x V100-SXM2 (github.com/Oneflow-Inc/DLPerf reports/dlperf_benchmark_test_report_v1.md): two "
              "quads 0-3 and 4-7 fully linked, pairs 0-3, 1-2 and 2-3 (and 4-7, 5-6, 6-7) by two links, the quads "
              "joined 0-4 and 1-5 by two links and 2-6 and 3-7 by one. A pair without NVLink (nvidia-smi: SYS) "
              "goes over NVLink through the intermediate GPU with the widest narrower link, as NCCL's NVB paths do "
              "(NVIDIA/nccl src/graph/paths.cc), not over PCIe and the CPUs' SMP link. mi250x-node: the HPE Cray "
              "EX235a node of Frontier and LUMI-G, each GCD one device with 7 (even GCDs) or 6 Infinity Fabric links "
              "of intra_node_bandwidth / 7: 4 links between the two GCDs of a package (0-1, 2-3, 4-5, 6-7), 2 "
              "between 0-6 and 2-4, 1 between 0-2, 1-3, 1-5, 3-7, 4-6 and 5-7, as the OLCF Frontier user guide's "
              "node diagram, AMD's lab notes and the LUMI user guide draw them; other pairs go through one GCD."),
          &Scenario::cluster, &ClusterSpec::intra_node, intra_node_choices),
      quantity("cluster.intra_node_bandwidth", Dimension::bandwidth, optional, "", false,
               "Per-device, per-direction bandwidth inside the node. Default: the accelerator's link_bandwidth "
               "(nvswitch, nvlink-mesh, hybrid-cube-mesh) or host_link_bandwidth (pcie) from the catalog."),
      assumed(
          bound_to(quantity("cluster.intra_node_latency", Dimension::time, defaulted, "1 us", true,
                            "Latency of one hop inside the node."),
                   &Scenario::cluster, &ClusterSpec::intra_node_latency),
          "NVLink/NVSwitch and PCIe peer latencies are of the order of a microsecond; no source states one figure."),
      text("cluster.nic", defaulted, "ConnectX-6-HDR-200G", "NIC model of the node, a name from catalog/nics.yaml."),
      bound_to(integer("cluster.nics_per_node", defaulted, "1", 1,
                       "NICs per node on the cluster network; accelerator k uses NIC k mod nics_per_node."),
               &Scenario::cluster, &ClusterSpec::nics_per_node),
      quantity("cluster.nic_bandwidth", Dimension::bandwidth, optional, "", false,
               "Per-NIC, per-direction bandwidth. Default: the catalog NIC's bandwidth."),
      integer("cluster.mixed.nodes", optional, "", 1,
              "Mixed cluster: how many of the cluster.nodes nodes (the last ones, in rank order) carry "
              "cluster.mixed.accelerator instead of cluster.accelerator. They keep every other cluster key: "
              "accelerators per node, CPU cores, NICs and the kind of intra-node fabric."),
      text("cluster.mixed.accelerator", optional, "",
           "Mixed cluster: the accelerator of the last cluster.mixed.nodes nodes, a name from "
           "catalog/accelerators.yaml."),
      when(quantity("cluster.mixed.intra_node_bandwidth", Dimension::bandwidth, optional, "", false,
                    "Mixed cluster: per-device, per-direction bandwidth inside the mixed nodes. Default: that "
                    "accelerator's link_bandwidth or host_link_bandwidth, as for cluster.intra_node_bandwidth."),
           "cluster.mixed.nodes"),

      bound_to(
          choice(
              "network.topology", texts(topology_choices), defaulted, "single-switch",
              "Cluster network: every node on one non-blocking switch; a two-level leaf-spine whose leaf uplinks are "
              "oversubscribed; rail-optimized, a leaf-spine where NIC k of every node in a group of nodes_per_leaf "
              "nodes connects to the leaf of rail k (one leaf per rail per group, rails = cluster.nics_per_node), so "
              "accelerator k of one node reaches accelerator k of another on its rail's leaf while accelerators on "
              "different rails meet only at the spine (\"traffic between SUs or between rails traverses the spine\", "
              "docs.nvidia.com/dgx-superpod, DGX SuperPOD reference architecture, Network Fabrics); a three-level "
              "fat-tree (leaves grouped in pods under aggregation switches, pods under the core); a dragonfly "
              "(network.dragonfly: groups of routers linked all-to-all, groups linked all-to-all by global links, "
              "nodes on routers; Kim et al., ISCA 2008); or a torus of "
              "direct accelerator-to-accelerator links with wrap-around (TPU ICI), whose links share the "
              "accelerator's link_bandwidth (per direction) equally."),
          &Scenario::network, &NetworkSpec::topology, topology_choices),
      when(
          text(
              "network.torus", optional, "",
              "torus: accelerators along each dimension, such as \"16x16x16\" (a TPU v4 pod) or \"16x16\" (a v5e pod); "
              "their product is the number of accelerators of one slice."),
          "network.topology", {"torus"}),
      when(
          bound_to(
              integer(
                  "network.slices", defaulted, "1", 1,
                  "torus: slices, each a torus of network.torus, joined by the data-centre network (DCN) through their "
                  "hosts' NICs (cluster.nic x cluster.nics_per_node per host, on one non-blocking switch), as Cloud "
                  "TPU "
                  "Multislice runs them. The torus all-reduce then reduce-scatters inside each slice over ICI, "
                  "all-reduces each chip's shard with the chips of the same place in the other slices over the DCN "
                  "(a ring over the slices, through the hosts), and all-gathers inside the slice. Accelerators are "
                  "numbered slice after slice."),
              &Scenario::network, &NetworkSpec::slices),
          "network.topology", {"torus"}),
      when(bound_to(integer("network.nodes_per_leaf", defaulted, "8", 1,
                            "leaf-spine, fat-tree: nodes attached to each leaf switch; rail-optimized: nodes in each "
                            "group, whose "
                            "NICs k all attach to the group's leaf of rail k."),
                    &Scenario::network, &NetworkSpec::nodes_per_leaf),
           "network.topology", {"leaf-spine", "rail-optimized", "fat-tree"}),
      at_most(when(bound_to(number("network.oversubscription", defaulted, "1", 1, true,
                                   "leaf-spine, rail-optimized, fat-tree: ratio of a leaf's downlink capacity (its "
                                   "NICs) to its uplink "
                                   "capacity; 1 is non-blocking."),
                            &Scenario::network, &NetworkSpec::oversubscription),
                   "network.topology", {"leaf-spine", "rail-optimized", "fat-tree"}),
              "1000"),
      when(bound_to(integer("network.leaves_per_pod", defaulted, "8", 1,
                            "fat-tree: leaves under each pod (aggregation) switch."),
                    &Scenario::network, &NetworkSpec::leaves_per_pod),
           "network.topology", {"fat-tree"}),
      at_most(
          when(bound_to(
                   number("network.pod_oversubscription", defaulted, "1", 1, true,
                          "fat-tree: ratio of a pod's downlink capacity (its leaves' uplinks) to its uplink capacity "
                          "to the core."),
                   &Scenario::network, &NetworkSpec::pod_oversubscription),
               "network.topology", {"fat-tree"}),
          "1000"),
      when(integer("network.dragonfly.groups", optional, "", 1,
                   "dragonfly: number of groups (required for a dragonfly)."),
           "network.topology", {"dragonfly"}),
      when(integer("network.dragonfly.routers_per_group", optional, "", 1,
                   "dragonfly: routers in each group, each linked to every other router of its group (required)."),
           "network.topology", {"dragonfly"}),
      when(integer(
               "network.dragonfly.nodes_per_router", optional, "", 1,
               "dragonfly: nodes on each router, all of a node's NICs on it (required). Nodes fill routers in order, "
               "group by group; cluster.nodes may leave the last ports empty but not exceed groups x "
               "routers_per_group x nodes_per_router."),
           "network.topology", {"dragonfly"}),
      when(integer("network.dragonfly.local_links", defaulted, "1", 1,
                   "dragonfly: parallel links between each pair of routers of a group, modelled as one link of their "
                   "summed bandwidth."),
           "network.topology", {"dragonfly"}),
      when(integer("network.dragonfly.global_links", defaulted, "1", 1,
                   "dragonfly: parallel global links between each pair of groups, modelled as one link of their summed "
                   "bandwidth; a group deals its global links round-robin over its routers, so traffic between groups "
                   "crosses at most a local, a global and a local link (minimal routing)."),
           "network.topology", {"dragonfly"}),
      when(
          quantity("network.dragonfly.local_link_bandwidth", Dimension::bandwidth, optional, "", false,
                   "dragonfly: per-direction bandwidth of one local link. Default: cluster.nic_bandwidth (router ports "
                   "as fast as the NICs)."),
          "network.topology", {"dragonfly"}),
      when(quantity("network.dragonfly.global_link_bandwidth", Dimension::bandwidth, optional, "", false,
                    "dragonfly: per-direction bandwidth of one global link. Default: cluster.nic_bandwidth."),
           "network.topology", {"dragonfly"}),
      choice("network.storage_network", texts(storage_network_choices), defaulted, "shared",
             "How NVMe-oF traffic (dataset reads, checkpoints) reaches the nodes: shared, through each node's first "
             "compute NIC and the compute fabric, where it meets the gradients; or separate, through storage NICs "
             "on a switch of their own with the targets (as DGX nodes' two storage ports are wired)."),
      when(text("network.storage_nic", optional, "",
                "separate: NIC model of the storage ports, a name from catalog/nics.yaml. Default: cluster.nic."),
           "network.storage_network", {"separate"}),
      when(bound_to(integer("network.storage_nics_per_node", defaulted, "1", 1, "separate: storage NICs per node."),
                    &Scenario::network, &NetworkSpec::storage_nics_per_node),
           "network.storage_network", {"separate"}),
      assumed(bound_to(quantity("network.switch_latency", Dimension::time, defaulted, "1 us", true,
                                "Latency added by each switch traversed, cables included."),
                       &Scenario::network, &NetworkSpec::switch_latency),
              "InfiniBand and data-centre Ethernet switches forward in 0.1-0.6 us; the rest stands for cables and "
              "NIC queues."),

      bound_to(
          choice("storage.dataset_on", texts(dataset_location_choices), required, "",
                 "Where the dataset is read from: synthetic (tensors made on the device: no reading, no preprocessing, "
                 "as in tf_cnn_benchmarks' synthetic mode), host memory (no storage cost, preprocessing on the CPU), "
                 "the node's local NVMe drives, or NVMe-oF targets over the cluster network."),
          &Scenario::storage, &StorageSpec::dataset_on, dataset_location_choices),
      choice("storage.layout", texts(storage_layout_choices), defaulted, "file-per-sample",
             "How the dataset's samples are stored: one file per sample (ImageNet JPEGs, DLIO's npz files), or "
             "records packing storage.samples_per_record samples each (TFRecord, WebDataset shards). A loader "
             "reads the files of a batch one after another, each split into read requests of at most "
             "storage.max_request: the file size sets the request size, hence whether IOPS or bandwidth bounds a "
             "drive, and each file opened costs the drive's read latency (plus the NVMe-oF transport's)."),
      when(integer("storage.samples_per_record", optional, "", 1, "records: samples packed in one record file."),
           "storage.layout", {"records"}),
      assumed(quantity("storage.max_request", Dimension::size, defaulted, "1 MiB", false,
                       "Largest read request a file is split into."),
              "Linux splits reads at the device's max_sectors_kb, commonly 128 KiB to 1280 KiB for NVMe; drive "
              "bandwidth figures are quoted at 128 KiB to 1 MiB transfers (catalog/drives.yaml)."),
      assumed(bound_to(
                  quantity("storage.page_cache", Dimension::size, defaulted, "0 B", true,
                           "Page cache each node gives the dataset. Epoch 1 finds it empty; each later epoch finds a "
                           "random part of what the node read before, since loaders read in shuffled order: with "
                           "storage.sharding fixed, a hit rate of page_cache / shard (the node's 1/nodes of the "
                           "dataset), 100% when the shard fits; reshuffled, page_cache / dataset, and only samples the "
                           "node has read before. This is the hit rate of any replacement policy (LRU included) under "
                           "uniform random access; reads from the cache cost nothing."),
                  &Scenario::storage, &StorageSpec::page_cache_bytes),
              "No cache unless given, so every epoch reads from storage: MLPerf Storage arranges the same by "
              "sizing the dataset at 5x the clients' memory."),
      bound_to(
          choice("storage.sharding", texts(sharding_choices), defaulted, "fixed",
                 "How the dataset is dealt to the nodes each epoch: fixed shards, each node reading its own 1/nodes "
                 "in a new order every epoch (tf.data's shard before shuffle, DALI's stick_to_shard), or the whole "
                 "dataset reshuffled across all workers every epoch (PyTorch's DistributedSampler with set_epoch), "
                 "which leaves a node's page cache holding mostly samples it will not read next."),
          &Scenario::storage, &StorageSpec::sharding, sharding_choices),
      when_stored_on(
          text("storage.local_nvme.drive", optional, "", "local-nvme: drive model, a name from catalog/drives.yaml."),
          "local-nvme"),
      when_stored_on(
          integer("storage.local_nvme.drives_per_node", defaulted, "1", 1, "local-nvme: drives per node, striped."),
          "local-nvme"),
      when_stored_on(integer("storage.nvme_of.targets", optional, "", 1, "nvme-of: number of NVMe-oF target servers."),
                     "nvme-of"),
      when_stored_on(text("storage.nvme_of.drive", optional, "",
                          "nvme-of: drive model in each target, a name from catalog/drives.yaml."),
                     "nvme-of"),
      when_stored_on(
          integer("storage.nvme_of.drives_per_target", defaulted, "1", 1, "nvme-of: drives per target, striped."),
          "nvme-of"),
      when_stored_on(text("storage.nvme_of.nic", defaulted, "ConnectX-6-HDR-200G",
                          "nvme-of: NIC model of each target (catalog/nics.yaml)."),
                     "nvme-of"),
      when_stored_on(integer("storage.nvme_of.nics_per_target", defaulted, "1", 1, "nvme-of: NICs per target."),
                     "nvme-of"),
      when_stored_on(
          choice("storage.nvme_of.transport", texts(transport_choices), defaulted, "rdma",
                 "nvme-of: fabric transport. rdma adds 20 us per request (fabric latency \"20-30 us\", datacore.com "
                 "NVMe-oF blog); tcp adds another 90 us (NVMe/TCP adds 80-100 us over RoCE, blocksandfiles.com "
                 "2022-05-03)."),
          "nvme-of"),

      assumed(when_all(integer("storage.nvme_of.target_cores", defaulted, "32", 1,
                               "nvme-of: CPU cores of each target server that serve NVMe/TCP."),
                       {{"storage.nvme_of.transport", {"tcp"}}, {"storage.nvme_of.offload", {"none"}}}),
              "MangoBoost's reference SPDK NVMe/TCP target ran 4 instances of 8 pinned cores "
              "(mlcommons/storage_results_v1.0, Closed/MangoBoost/systems/1-client-intel-nvme-tcp-sw.pdf, 3.2)."),
      assumed(
          when_all(number("storage.nvme_of.tcp_cpu_cost", defaulted, "0.64", 0, true,
                          "nvme-of with tcp and no offload: target core-seconds per GB served (TCP checksums, copies "
                          "and protocol work); the reads then also run on the target's cores."),
                   {{"storage.nvme_of.transport", {"tcp"}}, {"storage.nvme_of.offload", {"none"}}}),
          "No published per-core NVMe/TCP throughput found; MangoBoost's reference SPDK target gave each 100 GbE "
          "port 8 cores (same document), taken as what 12.5 GB/s needs: 8 / 12.5 = 0.64."),
      when(choice("storage.nvme_of.offload", texts(offload_choices), defaulted, "none",
                  "nvme-of with tcp: dpu when a DPU terminates NVMe/TCP on the target (MangoBoost's FPGA cards, "
                  "claimed at line rate), so the target's cores do no protocol work."),
           "storage.nvme_of.transport", {"tcp"}),
      when_stored_on(
          text(
              "storage.appliance.model", optional, "",
              "appliance: a model from catalog/appliances.yaml (DDN-AI400X2T, AllFlash-300GBps) whose figures the keys "
              "below take unless the scenario sets them. Without it, read_bandwidth, write_bandwidth, read_iops, port "
              "and ports are required."),
          "appliance"),
      when_stored_on(
          quantity("storage.appliance.read_bandwidth", Dimension::bandwidth, optional, "", false,
                   "appliance: aggregate read bandwidth of the shared all-flash system, as its vendor states it."),
          "appliance"),
      when_stored_on(quantity("storage.appliance.write_bandwidth", Dimension::bandwidth, optional, "", false,
                              "appliance: aggregate write bandwidth."),
                     "appliance"),
      at_most(
          when_stored_on(number("storage.appliance.read_iops", optional, "", 1, true,
                                "appliance: aggregate read requests per second. Each read request holds the appliance "
                                "for 1 / read_iops "
                                "plus its bytes at read_bandwidth, so small requests lower the bandwidth it delivers."),
                         "appliance"),
          "1e12"),
      when_stored_on(
          quantity("storage.appliance.read_latency", Dimension::time, optional, "", false,
                   "appliance: time to the first byte of a file, network protocol included. Default: the model's, or "
                   "100 us (an assumption: all-flash appliances over RDMA quote latencies in the low hundreds of "
                   "microseconds or below)."),
          "appliance"),
      when_stored_on(text("storage.appliance.port", optional, "",
                          "appliance: NIC model of its network ports, a name from catalog/nics.yaml."),
                     "appliance"),
      when_stored_on(
          integer("storage.appliance.ports", optional, "", 1, "appliance: network ports, their bandwidths summed."),
          "appliance"),
      when_stored_on(
          quantity(
              "storage.appliance.client_read_bandwidth", Dimension::bandwidth, optional, "", false,
              "appliance: the most one node reads from it, whatever its NICs, as its file-system client sets it. "
              "All loaders of a node share it. An NFS mount over one TCP connection reads about 1.5 GiB/s "
              "(Azure NetApp Files: nconnect gives ~3,500 MiB/s, 2.3x one connection; "
              "MicrosoftDocs/azure-docs@0983c17f:articles/azure-netapp-files/performance-benchmarks-linux.md); Amazon "
              "EFS allows 1,500 MiB/s per client (EFS User Guide, Quotas for NFS clients). Parallel file-system "
              "clients reach their NICs' line rate (DDN reports ~100 GB/s from AI400X2T appliances into one "
              "DGX B200, ddn.com blog 'DDN AI storage optimized for NVIDIA DGX B200'). Default: no limit beyond the "
              "node's NICs."),
          "appliance"),
      when_stored_on(
          quantity("storage.appliance.power", Dimension::power, optional, "", true,
                   "appliance: power it draws, counted in the run's energy. Without it the appliance's energy is left "
                   "out, and the report says so."),
          "appliance"),

      text("workload.model", required, "",
           "Model being trained: a file name in workloads/ without .yaml (for example resnet50), or a path to a "
           "workload file."),
      at_most(integer("workload.dataset_samples", optional, "", 1,
                      "Samples in one epoch. Default: the workload's dataset_samples."),
              "1e15"),
      quantity("workload.sample_size", Dimension::size, optional, "", false,
               "Mean bytes of one stored sample. Default: the workload's sample_bytes."),
      bound_to(
          quantity("workload.sample_size_spread", Dimension::size, defaulted, "0 B", true,
                   "Standard deviation of the stored sample size across the dataset (DLIO's record_length_stdev). "
                   "Each batch then reads the sum of its samples' sizes, drawn from the normal distribution of that "
                   "sum (mean and variance batch times the sample's) with the scenario's seed, so fetch times vary "
                   "from batch to batch and from worker to worker."),
          &Scenario::workload, &WorkloadSpec::sample_size_spread),
      bound_to(integer("workload.batch_per_device", required, "", 1, "Samples per device per micro-batch."),
               &Scenario::workload, &WorkloadSpec::batch_per_device),
      bound_to(choice("workload.precision", {"fp32", "tf32", "fp16", "bf16", "fp8"}, defaulted, "fp16",
                      "Arithmetic precision of forward and backward; selects the accelerator's peak rate."),
               &Scenario::workload, &WorkloadSpec::precision),
      bound_to(integer("workload.gradient_accumulation", defaulted, "1", 1,
                       "Micro-batches computed before each gradient all-reduce and optimizer step."),
               &Scenario::workload, &WorkloadSpec::gradient_accumulation),
      at_most(
          quantity("workload.emulated_batch_time", Dimension::time, optional, "", false,
                   "Emulated accelerators, as DLIO and MLPerf Storage run them: each micro-batch keeps the device busy "
                   "this long (DLIO's computation_time) instead of computing the model, and there are no gradients, "
                   "all-reduce, optimizer step or CPU preprocessing; only reading the data remains."),
          "24 h"),
      at_most(
          integer("workload.steps", optional, "", 1,
                  "Optimizer steps to train. Give steps or epochs, not both (a --set of one replaces the other). Once "
                  "settled, the run stops simulating and extrapolates (simulation.exact)."),
          "1000000000"),
      number("workload.epochs", optional, "", 0, false,
             "Epochs to train; steps = ceil(epochs x dataset_samples / global batch). Give steps or epochs, not both "
             "(a --set of one replaces the other). Once settled, the run stops simulating and extrapolates "
             "(simulation.exact)."),

      unless(bound_to(quantity("training.bucket_size", Dimension::size, defaulted, "25 MiB", false,
                               "Gradient bucket size; each bucket is all-reduced as soon as backward has produced it. "
                               "Default 25 MiB, "
                               "PyTorch DDP's bucket_cap_mb "
                               "(pytorch.org/docs/stable/generated/torch.nn.parallel.DistributedDataParallel.html)."),
                      &Scenario::training, &TrainingSpec::bucket_bytes),
             "workload.emulated_batch_time"),
      unless(
          bound_to(boolean("training.overlap", "true",
                           "Whether bucket all-reduces overlap the rest of backward (true) or start after it (false)."),
                   &Scenario::training, &TrainingSpec::overlap),
          "workload.emulated_batch_time"),
      unless(
          bound_to(
              choice("training.allreduce", texts(allreduce_choices), defaulted, "auto",
                     "All-reduce algorithm. auto: what NCCL's cost model picks for each size (ring or tree; torus on a "
                     "torus "
                     "network), see docs/architecture.md; ring: rings over all devices; NCCL's double binary tree (a "
                     "chain "
                     "inside each node, "
                     "two complementary binary trees across nodes, reduce and broadcast pipelined); or hierarchical "
                     "(reduce-scatter inside the node, all-reduce across nodes, all-gather inside the node); torus: "
                     "reduce-scatter along each torus dimension in turn over bidirectional rings, then all-gather back "
                     "(network.topology: torus only)."),
              &Scenario::training, &TrainingSpec::allreduce, allreduce_choices),
          "workload.emulated_batch_time"),
      unless(bound_to(choice("training.protocol", texts(protocol_choices), defaulted, "auto",
                             "NCCL protocol of ring and tree collectives, as NCCL_PROTO sets it. simple: full "
                             "bandwidth, the highest "
                             "per-step latency; ll128: 120 of every 128 bytes carry data, lower latency, NVLink nodes "
                             "only; ll: half "
                             "of every 8 bytes carry data, the lowest latency. auto: NCCL's cost model picks per size "
                             "(NVIDIA/nccl 2.20 src/graph/tuning.cc, src/include/device.h)."),
                      &Scenario::training, &TrainingSpec::protocol, protocol_choices),
             "workload.emulated_batch_time"),
      at_most(
          unless(
              integer(
                  "training.channels", optional, "", 1,
                  "Rings a ring collective splits its data over, each on its own path through a node and its own NICs. "
                  "Default: one per "
                  "NIC of a node when there are several nodes (NCCL builds one ring per rail on multi-NIC nodes: "
                  "NVIDIA/nccl src/graph/search.cc), 1 inside a single node."),
              "workload.emulated_batch_time"),
          "1024"),
      choice("training.loader", {"pytorch", "tf-data", "dali-cpu", "dali-gpu", "ffcv"}, defaulted, "pytorch",
             "Input pipeline: PyTorch's DataLoader with worker processes (PIL decode and torchvision transforms, "
             "with their per-sample Python cost); tf.data (C++ graph ops on a thread pool); NVIDIA DALI decoding "
             "on the CPU (dali-cpu) or on the accelerator (dali-gpu: nvJPEG and the A100's hardware decoder, "
             "training.accelerator_preprocess_time per sample; the loaders only read); FFCV (a compiled pipeline "
             "over a .beton file that keeps half the images as JPEG and half raw, as ffcv-imagenet writes it for "
             "ResNet-50; its configs load the file into memory, storage.dataset_on: memory). Image workloads (a jpeg "
             "section in the workload file) cost, per sample on one core: the "
             "loader's jpeg_fraction x decoded pixels / the CPU's jpeg_decode_rate + crop_area_fraction x decoded "
             "pixels / its resize_rate + the loader's per_sample_overhead (catalog/cpus.yaml, "
             "catalog/loaders.yaml); other workloads their cpu_cost_per_sample."),
      at_most(
          integer(
              "training.loader_workers", optional, "", 1,
              "Input-pipeline workers per device, each preparing whole batches on one CPU thread at a time: "
              "DataLoader worker processes (pytorch), threads (tf-data, DALI's num_threads, FFCV's num_workers). "
              "Default: for tf-data "
              "the node's hardware threads shared among its devices (tf.data sizes its thread pool to the "
              "available CPU cores: tensorflow.org/api_docs/python/tf/data/ThreadingOptions), otherwise 4 "
              "(an assumption: PyTorch's DataLoader defaults to 0 workers and DALI has no default; 4 per device is a "
              "common setting in training scripts)."),
          "1024"),
      at_most(bound_to(
                  integer("training.prefetch", defaulted, "2", 1,
                          "Batches each loader worker may have in flight or ready (PyTorch DataLoader prefetch_factor, "
                          "default 2)."),
                  &Scenario::training, &TrainingSpec::prefetch),
              "1024"),
      when(choice("training.batch_split", texts(batch_split_choices), defaulted, "equal",
                  "How a mixed cluster deals its global batch (workload.batch_per_device x devices) to the devices: "
                  "equal, the same batch on every device, so the slower kind sets the pace of every step; by-speed, "
                  "batches in proportion to each kind's training rate at its batch, so both kinds finish their "
                  "forward and backward together. Batches are whole numbers, so the global batch may change by a few "
                  "samples; the report gives each kind's batch. A batch that no longer fits a device's memory is an "
                  "error here."),
           "cluster.mixed.nodes"),
      assumed(unless(unless(when(bound_to(quantity("training.accelerator_preprocess_time", Dimension::time, defaulted,
                                                   "167 us", true,
                                                   "dali-gpu: device time to decode and augment one sample."),
                                          &Scenario::training, &TrainingSpec::accelerator_preprocess_time),
                                 "training.loader", {"dali-gpu"}),
                            "storage.dataset_on", {"synthetic"}),
                     "workload.emulated_batch_time"),
              "ImageNet JPEGs decoded and augmented on an A100 run at about 6,000 images/s (NVIDIA/DALI issue "
              "5362, citing NVIDIA's blog 'Loading Data Fast with DALI and the New Hardware JPEG Decoder in NVIDIA "
              "A100 GPUs'): 1 / 6,000 s; taken for any workload and accelerator unless set."),
      at_most(
          unless(
              bound_to(
                  number(
                      "training.gradient_bytes_per_param", defaulted, "4", 0, false,
                      "Bytes of gradient all-reduced per parameter. Default 4: PyTorch DDP with autocast keeps fp32 "
                      "parameters, so gradients are fp32 (pytorch.org/docs/stable/amp.html); 2 for fp16 all-reduce as "
                      "in apex."),
                  &Scenario::training, &TrainingSpec::gradient_bytes_per_param),
              "workload.emulated_batch_time"),
          "1024"),
      at_most(
          bound_to(
              number(
                  "training.model_state_bytes_per_param", defaulted, "16", 0, false,
                  "Device memory per parameter for weights, gradients and optimizer state. Default 16: Adam in mixed "
                  "precision (Rajbhandari et al., ZeRO, SC20, section 3.1)."),
              &Scenario::training, &TrainingSpec::model_state_bytes_per_param),
          "1024"),
      assumed(
          at_most(
              unless(bound_to(
                         quantity(
                             "training.optimizer_traffic_per_param", Dimension::size, defaulted, "32 B", true,
                             "Device-memory traffic per parameter of one optimizer update, at the accelerator's memory "
                             "bandwidth."),
                         &Scenario::training, &TrainingSpec::optimizer_traffic_per_param),
                     "workload.emulated_batch_time"),
              "1 MiB"),
          "The 16 B/param of Adam mixed-precision state read once and written once."),
      choice("training.framework", {"pytorch-ddp", "horovod", "jax", "none"}, optional, "",
             "Training framework, for its fixed costs (catalog/frameworks.yaml). pytorch-ddp: on more than one "
             "device, DistributedDataParallel's per-parameter autograd hooks cost per_parameter_tensor x the "
             "workload's parameter_tensors of host time per optimizer step (23 us each, derived from PyTorch's DDP "
             "benchmark). horovod: each gradient all-reduce starts at the next tick of Horovod's background "
             "cycle (HOROVOD_CYCLE_TIME, 1 ms); set training.bucket_size to its fusion threshold "
             "(HOROVOD_FUSION_THRESHOLD, 128 MiB since v0.21, 64 MiB before). jax: collectives inside one compiled "
             "step, no fixed cost. none: no framework cost. Default: jax on TPUs, pytorch-ddp otherwise."),
      bound_to(
          number(
              "training.evaluation.every_epochs", optional, "", 0, false,
              "An evaluation pass after every this many epochs, counted in time to train as MLPerf Training counts it "
              "(its ResNet-50 evaluates every 4 epochs: mlcommons/training retired_benchmarks/resnet-tf2/README.md). "
              "A pass runs forward only over training.evaluation.samples on every device at the training batch; "
              "reading and preprocessing the evaluation set are left out. Default: no evaluation."),
          &Scenario::training, &TrainingSpec::evaluation_every_epochs),
      at_most(when(bound_to(integer("training.evaluation.samples", optional, "", 1,
                                    "Samples of one evaluation pass (ImageNet's validation set: 50,000; MLPerf's BERT: "
                                    "10,000). Required "
                                    "with training.evaluation.every_epochs."),
                            &Scenario::training, &TrainingSpec::evaluation_samples),
                   "training.evaluation.every_epochs"),
              "1e15"),
      at_most(
          bound_to(
              quantity(
                  "training.startup", Dimension::time, defaulted, "0 s", true,
                  "Time before the first step (initialisation, loading the model), added to time to train. MLPerf "
                  "Training leaves up to 30 minutes of initialisation out of its score (mlcommons/training_policies "
                  "training_rules.adoc), hence the default of 0."),
              &Scenario::training, &TrainingSpec::startup),
          "168 h"),
      unless(
          quantity("training.cycle_time", Dimension::time, optional, "", true,
                   "The framework's background cycle: each gradient all-reduce starts at its next tick. Default: the "
                   "framework's (catalog/frameworks.yaml; Horovod's HOROVOD_CYCLE_TIME is 1 ms since v0.21.0, 5 ms "
                   "before)."),
          "workload.emulated_batch_time"),
      bound_to(quantity("training.step_overhead", Dimension::time, defaulted, "0 s", true,
                        "A further fixed cost per optimizer step (host bookkeeping, synchronisation), on top of the "
                        "framework's."),
               &Scenario::training, &TrainingSpec::step_overhead),
      unless(bound_to(quantity("training.collective_overhead", Dimension::time, defaulted, "0 s", true,
                               "Fixed cost per collective launch (kernel launch, NCCL set-up)."),
                      &Scenario::training, &TrainingSpec::collective_overhead),
             "workload.emulated_batch_time"),

      at_most(bound_to(integer("checkpoint.every_steps", optional, "", 1,
                               "Write a checkpoint after every this many optimizer steps. Default: no checkpoints."),
                       &Scenario::checkpoint, &CheckpointSpec::every_steps),
              "1000000000"),
      when(
          choice("checkpoint.to", texts(checkpoint_storage_choices), optional, "",
                 "Where checkpoints are written: the writers' local NVMe drives (storage.local_nvme), or striped over "
                 "every NVMe-oF target (storage.nvme_of) or onto the appliance (storage.appliance), through the node's "
                 "NICs."),
          "checkpoint.every_steps"),
      at_most(
          when(number("checkpoint.bytes_per_param", defaulted, "16", 0, false,
                      "Checkpoint bytes per parameter. Default 16: the model states of Adam in mixed precision "
                      "(Rajbhandari et al., ZeRO, SC20, section 3.1); a checkpoint without gradients holds 12 (fp32 "
                      "weights and two Adam moments, as with PyTorch autocast) to 14 (plus fp16 weights, as with "
                      "apex O2)."),
               "checkpoint.every_steps"),
          "1024"),
      when(bound_to(choice("checkpoint.mode", texts(checkpoint_mode_choices), defaulted, "blocking",
                           "blocking: training waits until the checkpoint is on storage (torch.save). background: "
                           "training waits only for the copy from device to host memory, and the write overlaps the "
                           "following steps (torch.distributed.checkpoint's async_save); a checkpoint due before the "
                           "previous one is written waits for it."),
                    &Scenario::checkpoint, &CheckpointSpec::mode, checkpoint_mode_choices),
           "checkpoint.every_steps"),
      when(
          bound_to(
              boolean("checkpoint.sharded", "false",
                      "false: rank 0 writes the whole checkpoint, as PyTorch DDP scripts do. true: every device writes "
                      "its 1/devices share in parallel (torch.distributed.checkpoint, DeepSpeed)."),
              &Scenario::checkpoint, &CheckpointSpec::sharded),
          "checkpoint.every_steps"),

      bound_to(choice("failures.model", texts(failure_model_choices), defaulted, "none",
                      "Failures of the synchronous job: none; parts, each kind of part failing at its own rate "
                      "(catalog/reliability.yaml, or the failures.*_mtbf keys); or nodes, every cause together at one "
                      "rate per node (failures.node_mtbf, as Meta's failures per node-day). Any failure stops every "
                      "worker; the job restarts, reads its last checkpoint back and trains again from there. Time to "
                      "train and cost then include the lost work and the restarts."),
               &Scenario::failures, &FailureSpec::model, failure_model_choices),
      when(number("failures.scale", defaulted, "1", 0, false,
                  "Multiplies every part's failure rate: 0.5 for a fleet twice as reliable as the catalog's."),
           "failures.model", {"parts"}),
      part_mtbf("accelerator", "One accelerator, its memory excepted"),
      part_mtbf("accelerator_memory", "One accelerator's memory (HBM)"),
      part_mtbf("nic", "One NIC of the cluster network (cluster.nics_per_node per node)"),
      part_mtbf("host", "One node's host: CPUs, DRAM, SSD, power supplies, board, unplanned maintenance"),
      part_mtbf("network", "The switches and cables of one node"),
      part_mtbf("software", "Software of one node: bugs, dependencies, collective timeouts"),
      failure_mtbf("node",
                   "One node, every cause together: mean time between failures that stop the job (Meta's 6.5 "
                   "failures per 1,000 node-days is 3,692 h).",
                   "nodes"),
      when(at_most(quantity("failures.restart", Dimension::time, optional, "", true,
                    "From a failure until the job trains again or starts reading its checkpoint back: detection, "
                    "rescheduling, initialisation. The restore itself is simulated on the checkpoint's storage. "
                    "Default: catalog/reliability.yaml."),
                   "30 d"),
           "failures.model", {"parts", "nodes"}),
      at_most(when(bound_to(integer("failures.trials", defaulted, "1000", 10,
                                    "Times the failures are drawn over the run; the report gives means and 95% "
                                    "confidence intervals over them."),
                            &Scenario::failures, &FailureSpec::trials),
                   "failures.model", {"parts", "nodes"}),
              "100000"),

      bound_to(
          choice("cost.model", texts(cost_model_choices), defaulted, "none",
                 "How a run is priced: not at all; rented by the device-hour (plus remote storage per GB-month); or "
                 "bought, the cluster's purchase price amortised straight-line over a service life, plus energy. "
                 "Energy is reported whatever the model."),
          &Scenario::cost, &CostSpec::model, cost_model_choices),
      when(bound_to(number("cost.device_hour_usd", optional, "", 0, true,
                           "hourly: price of one device-hour in USD, the instance's CPUs, memory, NICs and local NVMe "
                           "included."),
                    &Scenario::cost, &CostSpec::device_hour_usd),
           "cost.model", {"hourly"}),
      when(number("cost.storage_usd_per_gb_month", optional, "", 0, true,
                  "hourly: USD per GB-month of the dataset and checkpoints kept on remote storage (NVMe-oF or "
                  "appliance) for the run. Default: the catalog's cloud file-system price "
                  "(catalog/infrastructure.yaml)."),
           "cost.model", {"hourly"}),
      at_most(when(bound_to(number("cost.service_life_years", defaulted, "4", 0, false,
                                   "purchase: years over which the purchase price is amortised."),
                            &Scenario::cost, &CostSpec::service_life_years),
                   "cost.model", {"purchase"}),
              "100"),
      when(bound_to(
               number("cost.energy_usd_per_kwh", defaulted, "0.12", 0, true, "purchase: energy price in USD per kWh."),
               &Scenario::cost, &CostSpec::energy_usd_per_kwh),
           "cost.model", {"purchase"}),
      at_most(
          bound_to(
              number(
                  "cost.pue",
                  defaulted, "1.3", 1, true,
                  "Power usage effectiveness of the data centre: facility energy over IT energy. The reported energy "
                  "includes it."),
              &Scenario::cost, &CostSpec::pue),
          "10"),
      at_most(number("cost.accelerator_usd", optional, "", 0, true,
                     "Price of one device of cluster.accelerator in USD. Default: the catalog price."),
              "1e9"),
      at_most(when(number("cost.mixed_accelerator_usd", optional, "", 0, true,
                          "Price of one device of cluster.mixed.accelerator in USD. Default: the catalog price."),
                   "cluster.mixed.nodes"),
              "1e9"),
      at_most(
          number("cost.server_usd", optional, "", 0, true,
                 "Price of one compute node's server without accelerators, CPU cores, NICs and drives (chassis, "
                 "board, memory, power supplies, NVLink baseboard). Default: catalog/infrastructure.yaml's share per "
                 "accelerator times cluster.accelerators_per_node."),
          "1e9"),
      number("cost.cpu_core_usd", optional, "", 0, true,
             "Price of one CPU core of a node. Default: catalog/infrastructure.yaml."),
      number("cost.nic_usd", optional, "", 0, true, "Price of one cluster.nic adapter. Default: the catalog price."),
      when(number("cost.storage_nic_usd", optional, "", 0, true,
                  "Price of one network.storage_nic adapter. Default: the catalog price."),
           "network.storage_network", {"separate"}),
      when_stored_on(number("cost.target_nic_usd", optional, "", 0, true,
                            "Price of one storage.nvme_of.nic adapter. Default: the catalog price."),
                     "nvme-of"),
      when_stored_on(number("cost.drive_usd", optional, "", 0, true,
                            "Price of one storage.local_nvme.drive. Default: the catalog price."),
                     "local-nvme"),
      when_stored_on(number("cost.target_drive_usd", optional, "", 0, true,
                            "Price of one storage.nvme_of.drive. Default: the catalog price."),
                     "nvme-of"),
      at_most(when_stored_on(number("cost.storage_server_usd", optional, "", 0, true,
                                    "Price of one NVMe-oF target's server without drives and NICs. Default: "
                                    "catalog/infrastructure.yaml."),
                             "nvme-of"),
              "1e9"),
      at_most(
          when_stored_on(
              number("cost.appliance_usd", optional, "", 0, true,
                     "Price of the whole storage appliance, its ports included. No default: appliances are quoted, not "
                     "listed."),
              "appliance"),
          "1e9"),
      number("cost.switch_port_usd", optional, "", 0, true,
             "Price of one network switch port, its share of the chassis included. Default: "
             "catalog/infrastructure.yaml."),
      number("cost.memory_usd_per_gb", optional, "", 0, true,
             "Price of one GB of server memory set aside as page cache (storage.page_cache). Default: "
             "catalog/infrastructure.yaml."),

      bound_to(
          boolean(
              "simulation.reuse_collectives", "true",
              "Speed knob: an all-reduce of a size already simulated takes the duration it took then instead of "
              "being simulated flow by flow again. Exact when no other traffic crosses the network (dataset in "
              "memory or on local NVMe, or remote storage on a separate storage network). With remote storage on "
              "the shared fabric, a duration is remembered only when no storage transfer ran beside the all-reduce, "
              "and reused only when none is in flight as it starts: a transfer that starts during a reused "
              "all-reduce neither slows it nor is slowed by it (simulation.exact: true simulates every such "
              "all-reduce)."),
          &Scenario::training, &TrainingSpec::reuse_collectives),
      bound_to(
          boolean("simulation.exact", "false",
                  "A run stops simulating once its steps have settled and extrapolates the rest at the steady step "
                  "time: time to train, energy, cost and totals count every step. Settled: checked at 32, 48, 72, 108, "
                  "... steps, after the page cache has stopped warming, the steady state's two halves within 1% of "
                  "each other, its step time within 0.5% of the previous check's and two standard errors of it below "
                  "0.5% (runs whose steps jitter, such as emulated accelerators reading samples of random sizes, "
                  "rarely stop). The per-step records cover the simulated steps. true simulates every step, and every "
                  "all-reduce beside storage traffic (simulation.reuse_collectives)."),
          &Scenario::training, &TrainingSpec::exact),
  };
  return table;
}

std::string Parameter::expected() const
{
  const auto bound = [this](const std::string& what) {
    std::string text = what;
    if (!minimum_text.empty())
      text += fmt::format(" {} {}", minimum_inclusive ? ">=" : ">", minimum_text);
    if (!maximum_text.empty())
      text += fmt::format("{} <= {}", minimum_text.empty() ? "" : " and", maximum_text);
    return text;
  };
  switch (kind) {
  case ValueKind::integer:
    return bound("a whole number");
  case ValueKind::number:
    return bound("a number");
  case ValueKind::quantity:
    return bound(units::expected_form(dimension) + ",");
  case ValueKind::text:
    return "a text value";
  case ValueKind::choice:
    return fmt::format("one of {}", fmt::join(choices, ", "));
  case ValueKind::boolean:
    return "true or false";
  }
  return "a value";
}

namespace {

/// "a", "a or b", "a, b or c".
std::string one_of(const std::vector<std::string>& words)
{
  if (words.size() < 2)
    return words.empty() ? "" : words.front();
  const std::vector<std::string> head(words.begin(), words.end() - 1);
  return fmt::format("{} or {}", fmt::join(head, ", "), words.back());
}

std::string sentence(const Condition& c)
{
  const std::string is = c.negated ? "is not" : "is";
  return c.values.empty() ? fmt::format("{} {} set", c.key, is) : fmt::format("{} {} {}", c.key, is, one_of(c.values));
}

} // namespace

std::string Parameter::condition() const
{
  std::vector<std::string> clauses;
  for (const auto& clause : applies_when) {
    std::vector<std::string> terms;
    for (const auto& c : clause)
      terms.push_back(sentence(c));
    clauses.push_back(fmt::format("{}", fmt::join(terms, " and ")));
  }
  return fmt::format("{}", fmt::join(clauses, " or "));
}

namespace {

/// Reads one scalar per its parameter's kind, checking range and choices.
ResolvedValue read_value(const Document& doc, const Parameter& p, const YAML::Node& node)
{
  ResolvedValue v;
  v.parameter = &p;
  v.location = doc.locate(p.path, node);
  const auto out_of_range = [&](double value) {
    return value < p.minimum || (!p.minimum_inclusive && value == p.minimum) || value > p.maximum;
  };
  switch (p.kind) {
  case ValueKind::integer: {
    // Kept as a double, which holds every whole number up to 2^53 exactly.
    constexpr long long largest_exact = 1LL << 53;
    const long long whole = read_integer(doc, node, p.path);
    if (whole > largest_exact || whole < -largest_exact)
      fail(doc, p.path, node,
           fmt::format("expected a whole number of at most {} (2^53), found \"{}\"", largest_exact, node.Scalar()));
    v.number = static_cast<double>(whole);
    break;
  }
  case ValueKind::number:
    v.number = read_quantity(doc, node, p.path, Dimension::number);
    break;
  case ValueKind::quantity:
    v.number = read_quantity(doc, node, p.path, p.dimension);
    break;
  case ValueKind::boolean:
    v.number = read_boolean(doc, node, p.path) ? 1 : 0;
    break;
  case ValueKind::text:
    break;
  case ValueKind::choice: {
    const std::string value = read_text(doc, node, p.path);
    if (std::find(p.choices.begin(), p.choices.end(), value) == p.choices.end()) {
      const std::string near = closest_name(value, p.choices);
      fail(doc, p.path, node,
           fmt::format("expected {}, found \"{}\"{}", p.expected(), value,
                       near.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", near)));
    }
    break;
  }
  }
  v.text = read_text(doc, node, p.path);
  if ((p.kind == ValueKind::integer || p.kind == ValueKind::number || p.kind == ValueKind::quantity) &&
      out_of_range(v.number))
    fail(doc, p.path, node, fmt::format("expected {}, found \"{}\"", p.expected(), v.text));
  return v;
}

ResolvedValue default_of(const Parameter& p)
{
  const Document fallback = Document::parse("value: " + p.default_value, "default of " + p.path);
  ResolvedValue v = read_value(fallback, p, fallback.root()["value"]);
  v.from_default = true;
  v.location = {"default", 0, 0};
  return v;
}

/// Checks keys section by section: every key must be a declared parameter or lead to one.
void check_structure(const Document& doc, const YAML::Node& map, const std::string& path,
                     const std::vector<Parameter>& table, ErrorCollector& errors)
{
  std::vector<std::string> allowed;
  std::set<std::string> sections;
  const std::string prefix = path.empty() ? "" : path + ".";
  for (const auto& p : table) {
    if (!p.path.starts_with(prefix))
      continue;
    const std::string rest = p.path.substr(prefix.size());
    const auto dot = rest.find('.');
    const std::string key = rest.substr(0, dot);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      allowed.push_back(key);
    if (dot != std::string::npos)
      sections.insert(key);
  }
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    const std::string child = join_path(path, key);
    errors.attempt([&] {
      check_key(doc, entry.first, path, allowed);
      if (sections.contains(key)) {
        if (!entry.second.IsMap())
          fail(doc, child, entry.second,
               fmt::format("expected a section (a mapping of keys), found {}", describe(entry.second)));
        check_structure(doc, entry.second, child, table, errors);
      } else if (entry.second.IsMap() || entry.second.IsSequence()) {
        const auto p = std::find_if(table.begin(), table.end(), [&](const Parameter& q) { return q.path == child; });
        fail(doc, child, entry.second, fmt::format("expected {}, found {}", p->expected(), describe(entry.second)));
      }
    });
  }
}

/// The node at dotted `path`, or an undefined node; `deepest` is set to the last node found on the way.
/// (Node handles are rebound with reset(): yaml-cpp's operator= would overwrite the node they point to.)
YAML::Node find_node(const YAML::Node& root, const std::string& path, YAML::Node& deepest, std::string& deepest_path)
{
  YAML::Node current = root;
  deepest.reset(root);
  deepest_path.clear();
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!current.IsMap()) // a section written as a value: reported by check_structure
      return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node& parent = current;
    YAML::Node next = parent[key];
    if (!next.IsDefined() || next.IsNull())
      return YAML::Node(YAML::NodeType::Undefined);
    if (dot == std::string::npos)
      return next;
    current.reset(next);
    deepest.reset(current);
    deepest_path = path.substr(0, dot);
    start = dot + 1;
  }
}

} // namespace

ResolvedParameters ResolvedParameters::resolve(const Document& doc, const std::vector<Parameter>& table)
{
  // Each key is checked on its own, so that one run lists every mistake it can (up to ErrorCollector::limit).
  ErrorCollector errors;
  check_structure(doc, doc.root(), "", table, errors);
  ResolvedParameters result;
  result.file_start_ = doc.locate("", doc.root());
  for (const auto& p : table) {
    YAML::Node deepest;
    std::string deepest_path;
    const YAML::Node node = find_node(doc.root(), p.path, deepest, deepest_path);
    if (node.IsDefined()) {
      errors.attempt([&] {
        result.values_.emplace(p.path, read_value(doc, p, node));
        result.order_.push_back(p.path);
      });
    } else if (p.presence == Presence::required) {
      errors.add(ConfigError(doc.locate(deepest_path, deepest), p.path,
                             fmt::format("missing key: expected {} ({})", p.expected(), p.help)));
    } else if (p.presence == Presence::defaulted) {
      result.values_.emplace(p.path, default_of(p));
      result.order_.push_back(p.path);
    }
  }
  // Whether a key applies depends on others: judged only once every value has been read.
  errors.throw_if_any();
  result.refuse_inapplicable(errors);
  errors.throw_if_any();
  return result;
}

const ResolvedValue* ResolvedParameters::applying(const std::string& path) const
{
  const auto it = values_.find(path);
  return it != values_.end() && applies(*it->second.parameter) ? &it->second : nullptr;
}

bool ResolvedParameters::holds(const Condition& c) const
{
  const ResolvedValue* v = applying(c.key);
  const bool affirmed =
      v && (c.values.empty() || std::find(c.values.begin(), c.values.end(), v->text) != c.values.end());
  return affirmed != c.negated;
}

bool ResolvedParameters::applies(const Parameter& p) const
{
  if (p.applies_when.empty())
    return true;
  return std::any_of(p.applies_when.begin(), p.applies_when.end(), [this](const std::vector<Condition>& clause) {
    return std::all_of(clause.begin(), clause.end(), [this](const Condition& c) { return holds(c); });
  });
}

std::string ResolvedParameters::why_not(const Parameter& p) const
{
  std::vector<std::string> keys, reasons;
  for (const auto& clause : p.applies_when)
    for (const auto& c : clause)
      if (std::find(keys.begin(), keys.end(), c.key) == keys.end())
        keys.push_back(c.key);
  for (const auto& key : keys) {
    if (const ResolvedValue* v = applying(key))
      reasons.push_back(fmt::format("{} is {}", key, v->text));
    else
      reasons.push_back(fmt::format("{} {}", key, has(key) ? "does not apply" : "is not set"));
  }
  return fmt::format("{}", fmt::join(reasons, " and "));
}

/// A key the scenario sets (not a default) where its declared condition does not hold is an error, except a
/// key of the file whose condition names a key a --set option changed: that option replaces it, as a --set of
/// workload.steps replaces the file's workload.epochs.
void ResolvedParameters::refuse_inapplicable(ErrorCollector& errors)
{
  for (std::size_t i = 0; i < order_.size();) {
    const std::string path = order_[i];
    const ResolvedValue& v = values_.at(path);
    if (v.from_default || applies(*v.parameter)) {
      ++i;
    } else if (!set_by_option(v) && condition_set_by_option(*v.parameter)) {
      if (v.parameter->presence == Presence::defaulted) {
        values_.at(path) = default_of(*v.parameter);
        ++i;
      } else {
        values_.erase(path);
        order_.erase(order_.begin() + static_cast<std::ptrdiff_t>(i));
      }
    } else {
      errors.attempt([&] {
        fail(path, fmt::format("expected no {}, since {} (it applies when {})", path, why_not(*v.parameter),
                               v.parameter->condition()));
      });
      ++i;
    }
  }
}

bool ResolvedParameters::set_by_option(const ResolvedValue& v)
{
  return v.location.origin.starts_with("--set ");
}

bool ResolvedParameters::condition_set_by_option(const Parameter& p) const
{
  for (const auto& clause : p.applies_when)
    for (const auto& c : clause)
      if (const auto it = values_.find(c.key); it != values_.end() && set_by_option(it->second))
        return true;
  return false;
}

const ResolvedValue& ResolvedParameters::at(const std::string& path) const
{
  const auto it = values_.find(path);
  if (it == values_.end())
    throw std::logic_error("dtsim bug: parameter read before it was checked for presence: " + path);
  return it->second;
}

bool ResolvedParameters::has(const std::string& path) const
{
  return values_.contains(path);
}
double ResolvedParameters::number(const std::string& path) const
{
  return at(path).number;
}
long long ResolvedParameters::integer(const std::string& path) const
{
  return static_cast<long long>(at(path).number);
}
int ResolvedParameters::count(const std::string& path) const
{
  const ResolvedValue& v = at(path);
  if (v.number > std::numeric_limits<int>::max())
    fail(path, fmt::format("expected a whole number below {}, found \"{}\"", std::numeric_limits<int>::max(), v.text));
  return static_cast<int>(v.number);
}
bool ResolvedParameters::boolean(const std::string& path) const
{
  return at(path).number != 0;
}
const std::string& ResolvedParameters::text(const std::string& path) const
{
  return at(path).text;
}
Location ResolvedParameters::location(const std::string& path) const
{
  const auto it = values_.find(path);
  return it == values_.end() ? file_start_ : it->second.location;
}

void ResolvedParameters::fail(const std::string& path, const std::string& message) const
{
  throw ConfigError(location(path), path, message);
}

std::vector<std::pair<std::string, const ResolvedValue*>> ResolvedParameters::entries() const
{
  std::vector<std::pair<std::string, const ResolvedValue*>> rows;
  for (const auto& path : order_)
    rows.emplace_back(path, &values_.at(path));
  return rows;
}

std::string reference_markdown(const std::vector<Parameter>& table)
{
  std::string out = "# Scenario reference (format version 1)\n\n"
                    "Generated by `dtsim reference` from the parameter table in `sim/config/parameters.cpp`; "
                    "a test keeps this file and the table in step.\n\n"
                    "Values with a unit carry it in the value, with or without a space: `\"200 Gb/s\"`, `\"25 MiB\"`, "
                    "`\"2 us\"`, `\"312 TFLOPS\"`. Bits are `b`, bytes `B`; `kB`, `MB`, `GB` are decimal and `KiB`, "
                    "`MiB`, `GiB` binary. Unknown keys are errors. Any key can be overridden with "
                    "`--set key.path=value` (the value is read as YAML; `null` removes the key, so its default or "
                    "the other of a pair such as `workload.steps` and `workload.epochs` takes its place). "
                    "`dtsim schema` prints the format as a JSON Schema (docs/scenario.schema.json), which the example "
                    "scenarios name in their `yaml-language-server` line so that editors complete and check keys.\n\n"
                    "A key applies only where the column *applies when* says; set anywhere else it is an error that "
                    "says why. A `--set` of the key a condition names replaces the file's keys that it makes "
                    "inapplicable (their defaults return), as a `--set` of `workload.steps` replaces the file's "
                    "`workload.epochs`; a key the options set themselves where it does not apply is still an error.\n";
  std::string section = "-";
  for (const auto& p : table) {
    const auto dot = p.path.rfind('.');
    const std::string owner = dot == std::string::npos ? "" : p.path.substr(0, dot);
    if (owner != section) {
      section = owner;
      out += fmt::format("\n## `{}`\n\n| key | expects | default | applies when | meaning |\n|---|---|---|---|---|\n",
                         owner.empty() ? "top level" : owner);
    }
    const std::string fallback = p.presence == Presence::required   ? "required"
                                 : p.presence == Presence::optional ? "—"
                                                                    : fmt::format("`{}`", p.default_value);
    const std::string why = p.assumption.empty() ? "" : fmt::format(" Default is an assumption: {}", p.assumption);
    const std::string condition = p.applies_when.empty() ? "always" : p.condition();
    out += fmt::format("| `{}` | {} | {} | {} | {}{} |\n", p.path, p.expected(), fallback, condition, p.help, why);
  }
  return out;
}

} // namespace dtsim::config
