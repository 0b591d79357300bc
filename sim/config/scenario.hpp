#pragma once
/// @brief A validated scenario: plain structs in SI units (bytes, B/s, s, FLOP, FLOP/s, W, USD).
///
/// Nothing downstream reads YAML: the platform, the training model and the report take these structs.
#include "config/catalog.hpp"
#include "config/choices.hpp"
#include "config/config_error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dtsim::config {

/// @brief A mixed cluster: the last `nodes` nodes carry another accelerator, all else alike.
struct MixedNodes {
  int nodes = 0;
  Accelerator accelerator;
  double intra_node_bandwidth = 0; ///< B/s per device per direction
};

struct ClusterSpec {
  int nodes = 1;
  Location nodes_at; ///< where cluster.nodes is set, for a run found too large for the machine
  Accelerator accelerator;
  int accelerators_per_node = 1;
  int cpu_cores_per_node = 1; ///< physical cores
  Cpu cpu;
  double smt_yield = 0; ///< a core's second hardware thread adds this share of a core
  IntraNode intra_node = IntraNode::nvswitch;
  double intra_node_bandwidth = 0; ///< B/s per device per direction
  double intra_node_latency = 0;   ///< s
  Nic nic;
  int nics_per_node = 1;
  double nic_bandwidth = 0; ///< B/s per NIC per direction
  std::optional<MixedNodes> mixed;

  int devices() const { return nodes * accelerators_per_node; }
  /// Whole cores' worth of CPU a node's input pipeline runs on: its cores with their second hardware threads'
  /// yield, less the thread each GPU's training process spins on while it waits for the device.
  int input_cores() const
  {
    const double threads_per_core = cpu.threads_per_core.value;
    const double per_core = 1 + smt_yield * (threads_per_core - 1);
    const double spinning = accelerator.kind == "gpu" ? accelerators_per_node * per_core / threads_per_core : 0;
    return std::max(1, static_cast<int>(std::lround(cpu_cores_per_node * per_core - spinning)));
  }
  /// Hardware threads of a node.
  int hardware_threads() const { return cpu_cores_per_node * static_cast<int>(cpu.threads_per_core.value); }
  bool is_mixed(int node) const { return mixed && node >= nodes - mixed->nodes; }
  const Accelerator& accelerator_of(int node) const { return is_mixed(node) ? mixed->accelerator : accelerator; }
  double intra_node_bandwidth_of(int node) const
  {
    return is_mixed(node) ? mixed->intra_node_bandwidth : intra_node_bandwidth;
  }
};

/// @brief Groups of routers linked all-to-all, the groups linked all-to-all by global links.
struct DragonflySpec {
  int groups = 1;
  int routers_per_group = 1;
  int nodes_per_router = 1;
  double local_bandwidth = 0;  ///< B/s per direction between two routers of a group (parallel links summed)
  double global_bandwidth = 0; ///< B/s per direction between two groups (parallel links summed)
};

struct NetworkSpec {
  Topology topology = Topology::single_switch;
  int nodes_per_leaf = 1;
  double oversubscription = 1;
  int leaves_per_pod = 1;          ///< fat-tree: leaves under each pod (aggregation) switch
  double pod_oversubscription = 1; ///< fat-tree: pod downlink capacity over pod uplink capacity
  double switch_latency = 0;       ///< s per switch traversed
  bool separate_storage = false;   ///< NVMe-oF traffic on storage NICs and a switch of its own
  Nic storage_nic;                 ///< separate: each storage port
  int storage_nics_per_node = 1;
  std::vector<int> torus_dimensions; ///< torus: accelerators along each dimension, last one fastest in rank order
  int slices = 1;                    ///< torus: tori of torus_dimensions joined by the data-centre network
  DragonflySpec dragonfly;
};

struct StoragePool {
  Drive drive;
  int drives = 1; ///< per node (local) or per target (NVMe-oF)
};

/// @brief Storage servers the nodes reach over the network: NVMe-oF targets, or a shared all-flash
/// appliance given by its aggregate figures (one target whose single "drive" is the whole appliance).
struct RemoteStorage {
  bool appliance = false;
  int targets = 1;
  StoragePool pool;
  Nic nic;
  int nics_per_target = 1;
  Transport transport = Transport::rdma;
  double transport_latency = 0; ///< s added to each request by the fabric protocol
  int target_cores = 1;
  double cpu_seconds_per_byte = 0;       ///< target core-seconds per byte served: NVMe/TCP without offload
  double client_read_bandwidth = 0;      ///< B/s one node's file-system client reads at most; 0: only its NICs limit
  std::optional<double> appliance_power; ///< W the appliance draws, when the scenario gives it
};

struct StorageSpec {
  DatasetLocation dataset_on = DatasetLocation::memory;
  std::optional<StoragePool> local_nvme;
  std::optional<RemoteStorage> remote;
  int samples_per_file = 1;    ///< 1 for one file per sample, else samples per record
  double request_bytes = 0;    ///< mean size of one read request: a file split at the largest request
  double request_latency = 0;  ///< s per file opened: the drive's read latency, plus the NVMe-oF transport's
  double page_cache_bytes = 0; ///< per node
  Sharding sharding = Sharding::fixed;

  /// Whether the dataset is read over the network, from `remote`.
  bool dataset_is_remote() const
  {
    return dataset_on == DatasetLocation::nvme_of || dataset_on == DatasetLocation::appliance;
  }

  /// What `pool` reads for this dataset: each request holds a drive (or the appliance) for 1 / IOPS plus
  /// its bytes at the sequential bandwidth.
  double read_bandwidth(const StoragePool& pool) const
  {
    const Drive& d = pool.drive;
    return pool.drives * request_bytes / (request_bytes / d.read_bandwidth.value + 1 / d.read_iops.value);
  }
};

struct WorkloadSpec {
  std::string model_file;
  bool model_built_in = false; ///< from the data folder's workloads/, not a file of the user's
  Workload model;
  long long dataset_samples = 0;
  double sample_size_spread = 0; ///< B, standard deviation of a stored sample's size
  int batch_per_device = 1;
  std::string precision;
  int gradient_accumulation = 1;
  std::optional<double> emulated_batch_time; ///< s per micro-batch of an emulated accelerator (DLIO)
  long long steps = 0; ///< optimizer steps to simulate (from `steps`, or from `epochs` and the dataset)
  std::optional<double> epochs;
};

struct TrainingSpec {
  double bucket_bytes = 0;
  bool overlap = true;
  AllReduceAlgorithm allreduce = AllReduceAlgorithm::automatic;
  Protocol protocol = Protocol::automatic;
  int channels = 1;
  int loader_workers = 1;
  int prefetch = 2;
  Loader loader;                          ///< the input pipeline (catalog/loaders.yaml)
  double accelerator_preprocess_time = 0; ///< s per sample when the loader decodes on the accelerator
  double gradient_bytes_per_param = 4;
  double model_state_bytes_per_param = 16;
  double optimizer_traffic_per_param = 32; ///< bytes of HBM traffic per parameter for one update
  Framework framework;                     ///< catalog/frameworks.yaml
  double cycle_time = 0;                   ///< s between the ticks that start collectives; 0: at once
  double step_overhead = 0;                ///< s per optimizer step the scenario adds to the framework's
  double evaluation_every_epochs = 0;      ///< an evaluation pass after every this many epochs; 0: none
  long long evaluation_samples = 0;        ///< samples of one evaluation pass
  double startup = 0;                      ///< s before the first step
  double collective_overhead = 0;          ///< s per collective launch
  bool reuse_collectives = true;           ///< reuse all-reduce durations when nothing else uses the network
  bool exact = false;                      ///< simulate every step, settled or not
  bool batches_by_speed = false;           ///< mixed cluster: per-device batches in proportion to each kind's rate
  Location batch_split_at;                 ///< where training.batch_split is set, for errors found when planning
};

/// @brief Checkpoints written during training; none when every_steps is 0.
struct CheckpointSpec {
  long long every_steps = 0;
  CheckpointStorage to = CheckpointStorage::local_nvme;
  double bytes = 0; ///< whole checkpoint: parameters x bytes per parameter
  CheckpointMode mode = CheckpointMode::blocking;
  bool sharded = false;

  bool enabled() const { return every_steps > 0; }
};

/// @brief A kind of part that can stop the job: how many the job uses and the mean time between failures of one.
struct FailurePart {
  std::string part; ///< "accelerator", "accelerator_memory", "nic", "host", "network", "software", or "node"
  double units = 0;
  double mtbf = 0; ///< s
};

struct FailureSpec {
  FailureModel model = FailureModel::none;
  std::vector<FailurePart> parts; ///< resolved: the catalog's or the scenario's MTBFs, over failures.scale
  double restart = 0;             ///< s from a failure until the job restores its checkpoint or starts again
  int trials = 1000;
  Location model_at; ///< where failures.model is set, for a job found to fail too often to finish

  bool enabled() const { return model != FailureModel::none; }
};

/// @brief The purchase price in USD of each part a cluster is built from: the scenario's cost.*_usd key, else
/// the catalog's price. Empty where neither gives one; `missing_key` names the key that would.
struct PriceList {
  std::optional<double> accelerator,
      mixed_accelerator;                           ///< one device of cluster.accelerator, cluster.mixed.accelerator
  std::optional<double> nic;                       ///< one adapter of cluster.nic
  std::optional<double> storage_nic;               ///< one adapter of network.storage_nic
  std::optional<double> target_nic;                ///< one adapter of storage.nvme_of.nic
  std::optional<double> local_drive, target_drive; ///< one drive of storage.local_nvme, storage.nvme_of
  std::optional<double> appliance;                 ///< the whole appliance, its ports included
  double server = 0, cpu_core = 0, storage_server = 0, switch_port = 0;
  double memory_per_byte = 0; ///< DRAM set aside as page cache
};

struct CostSpec {
  CostModel model = CostModel::none;
  PriceList prices;
  double device_hour_usd = 0;
  double storage_usd_per_byte_month = 0; ///< hourly: data kept on remote storage
  double service_life_years = 0;
  double energy_usd_per_kwh = 0;
  double pue = 1;
};

/// @brief A figure that rests on an assumption rather than a source, listed by `dtsim run`.
struct Assumption {
  std::string where;
  std::string value;
  std::string reason;
};

/// @brief One resolved key of the scenario, as echoed next to the results.
struct Setting {
  std::string path;
  std::string text; ///< as written, or the default
  bool numeric = false;
  bool boolean = false;
  double number = 0; ///< SI value when numeric or boolean
  bool from_default = false;
};

struct Scenario {
  std::string file;
  int version = 1;
  std::string name;
  std::uint64_t seed = 1;
  ClusterSpec cluster;
  NetworkSpec network;
  StorageSpec storage;
  WorkloadSpec workload;
  TrainingSpec training;
  CheckpointSpec checkpoint;
  FailureSpec failures;
  CostSpec cost;
  Infrastructure infrastructure; ///< servers, CPU cores, switch ports, memory: prices and power
  std::vector<Assumption> assumptions;
  std::vector<Setting> settings;
};

/// Reads, overrides, validates and resolves a scenario file against the catalog in `data_dir`.
/// Throws ConfigError for anything wrong in the file, an override or a data file it names. The program loads
/// through training::load_runnable_scenario, which adds the checks that need the compute model.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides, const std::string& data_dir);

/// load_scenario for `text` read as if it were the file `name` (paths it names are relative to name's folder).
Scenario parse_scenario(const std::string& text, const std::string& name, const std::vector<std::string>& overrides,
                        const std::string& data_dir);

/// Why `batch` samples per device do not fit in `accelerator`'s memory (model state + activations), or nothing.
std::optional<std::string> memory_shortfall(const Scenario& scenario, const Accelerator& accelerator, int batch);

} // namespace dtsim::config
