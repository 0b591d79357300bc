#include "config/cluster_resources.hpp"
#include "config/inventory.hpp"
#include "config/parameters.hpp"
#include "config/scenario.hpp"
#include "config/value_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <sstream>

namespace dtsim::config {

using units::Dimension;

namespace {

/// Bounds that keep counts inside the integer types the model uses.
constexpr long long max_devices = 1'000'000;
constexpr long long max_steps = 1'000'000'000;
constexpr int default_loader_workers = 4;
constexpr double default_appliance_latency = 100e-6;

/// A path a scenario names: absolute, or relative to the scenario's folder.
std::string relative_to(const std::string& scenario_file, const std::string& path)
{
  const std::filesystem::path p(path);
  return p.is_absolute() ? path : (std::filesystem::path(scenario_file).parent_path() / p).string();
}

template <typename Entry>
const Entry& find_entry(const ResolvedParameters& values, const std::string& path,
                        const std::map<std::string, Entry>& entries, const std::string& file)
{
  const std::string& name = values.text(path);
  const auto it = entries.find(name);
  if (it != entries.end())
    return it->second;
  std::vector<std::string> names;
  for (const auto& [known, entry] : entries)
    names.push_back(known);
  const std::string near = closest_name(name, names);
  values.fail(path, fmt::format("expected a name from {} ({}), found \"{}\"{}", file, fmt::join(names, ", "), name,
                                near.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", near)));
}

/// The entry `path` names, or `fallback` when the scenario leaves the key out.
template <typename Entry>
const Entry& find_entry_or(const ResolvedParameters& values, const std::string& path,
                           const std::map<std::string, Entry>& entries, const std::string& file,
                           const std::string& fallback)
{
  if (values.has(path))
    return find_entry(values, path, entries, file);
  const auto it = entries.find(fallback);
  if (it == entries.end())
    values.fail(path, fmt::format("expected a value, or {} to hold the default \"{}\", found neither", file, fallback));
  return it->second;
}

const Parameter& declared(const std::string& path)
{
  const auto& table = scenario_parameters();
  const auto p = std::find_if(table.begin(), table.end(), [&](const Parameter& q) { return q.path == path; });
  if (p == table.end())
    throw std::logic_error("dtsim bug: no parameter " + path);
  return *p;
}

void require(const ResolvedParameters& values, const std::string& path, const std::string& why)
{
  if (!values.has(path))
    values.fail(path, fmt::format("missing key: expected {}, since {}", declared(path).expected(), why));
}

class Builder {
public:
  Builder(const ResolvedParameters& values, const Catalog& catalog, std::string scenario_file, std::string data_dir)
      : v_(values)
      , catalog_(catalog)
      , file_(std::move(scenario_file))
      , data_dir_(std::move(data_dir))
  {
  }

  Scenario build()
  {
    Scenario s;
    s.file = file_;
    s.version = v_.count("version");
    s.name = v_.text("name");
    s.seed = static_cast<std::uint64_t>(v_.integer("seed"));
    // Each section starts from its keys bound to their fields; its builder adds the catalog's look-ups and the
    // rules that span several keys, and the sections after it read what both set.
    set_bound_keys(s, "cluster.");
    cluster(s.cluster);
    set_bound_keys(s, "network.");
    network(s.cluster, s.network);
    set_bound_keys(s, "workload.");
    workload(s.cluster, s.workload);
    set_bound_keys(s, "storage.");
    storage(s.workload, s.storage);
    set_bound_keys(s, "training.");
    set_bound_keys(s, "simulation.");
    training(s.cluster, s.network, s.training);
    note_input_pipeline_figures(s);
    set_bound_keys(s, "checkpoint.");
    checkpoint(s.workload, s.checkpoint);
    set_bound_keys(s, "failures.");
    failures(s.cluster, s.failures);
    s.infrastructure = catalog_.infrastructure();
    set_bound_keys(s, "cost.");
    cost(s);
    check_memory(s);
    collect_assumptions(s);
    for (const auto& [path, value] : v_.entries()) {
      const ValueKind kind = value->parameter->kind;
      s.settings.push_back({path, value->text,
                            kind == ValueKind::integer || kind == ValueKind::number || kind == ValueKind::quantity,
                            kind == ValueKind::boolean, value->number, value->from_default});
    }
    return s;
  }

private:
  /// Copies the values of the keys under `section` that are bound to their fields (Parameter::set).
  void set_bound_keys(Scenario& s, const std::string& section) const
  {
    for (const auto& [path, value] : v_.entries())
      if (path.starts_with(section) && value->parameter->set)
        value->parameter->set(s, *value);
  }

  void cluster(ClusterSpec& c)
  {
    c.nodes_at = v_.location("cluster.nodes");
    c.accelerator = find_entry(v_, "cluster.accelerator", catalog_.accelerators(), "catalog/accelerators.yaml");
    if (static_cast<long long>(c.nodes) * c.accelerators_per_node > max_devices)
      v_.fail("cluster.accelerators_per_node",
              fmt::format("expected at most {} devices in all, found {} nodes x {} = {}", max_devices, c.nodes,
                          c.accelerators_per_node, static_cast<long long>(c.nodes) * c.accelerators_per_node));
    c.cpu = find_entry(v_, "cluster.cpu", catalog_.cpus(), "catalog/cpus.yaml");
    if ((c.intra_node == IntraNode::hybrid_cube_mesh || c.intra_node == IntraNode::mi250x_node) &&
        c.accelerators_per_node != 8)
      v_.fail("cluster.accelerators_per_node",
              fmt::format("expected 8 accelerators per node for the {} (cluster.intra_node), found {}",
                          v_.text("cluster.intra_node"), c.accelerators_per_node));
    const Figure& intra_default =
        c.intra_node == IntraNode::pcie ? c.accelerator.host_link_bandwidth : c.accelerator.link_bandwidth;
    c.intra_node_bandwidth =
        v_.has("cluster.intra_node_bandwidth") ? v_.number("cluster.intra_node_bandwidth") : intra_default.value;
    c.nic = find_entry(v_, "cluster.nic", catalog_.nics(), "catalog/nics.yaml");
    c.nic_bandwidth = v_.has("cluster.nic_bandwidth") ? v_.number("cluster.nic_bandwidth") : c.nic.bandwidth.value;
    const Nic& nic = catalog_.nics().at(c.nic.name);
    used_.push_back(&nic.latency);
    if (!v_.has("cluster.nic_bandwidth"))
      used_.push_back(&nic.bandwidth);
    for (const Figure* f : catalog_.accelerators().at(c.accelerator.name).figures())
      used_.push_back(f);
    c.mixed = mixed_nodes(c);
  }

  std::optional<MixedNodes> mixed_nodes(const ClusterSpec& c)
  {
    if (v_.has("cluster.mixed.nodes") != v_.has("cluster.mixed.accelerator"))
      v_.fail(v_.has("cluster.mixed.nodes") ? "cluster.mixed.nodes" : "cluster.mixed.accelerator",
              "expected both cluster.mixed.nodes and cluster.mixed.accelerator for a mixed cluster, found only one");
    if (!v_.has("cluster.mixed.nodes"))
      return std::nullopt;
    MixedNodes m;
    m.nodes = v_.count("cluster.mixed.nodes");
    if (m.nodes >= c.nodes)
      v_.fail("cluster.mixed.nodes",
              fmt::format("expected fewer mixed nodes than the cluster's {} nodes (they are counted among them), "
                          "found {}",
                          c.nodes, m.nodes));
    m.accelerator = find_entry(v_, "cluster.mixed.accelerator", catalog_.accelerators(), "catalog/accelerators.yaml");
    const Figure& intra_default =
        c.intra_node == IntraNode::pcie ? m.accelerator.host_link_bandwidth : m.accelerator.link_bandwidth;
    m.intra_node_bandwidth = v_.has("cluster.mixed.intra_node_bandwidth")
                                 ? v_.number("cluster.mixed.intra_node_bandwidth")
                                 : intra_default.value;
    for (const Figure* f : catalog_.accelerators().at(m.accelerator.name).figures())
      used_.push_back(f);
    return m;
  }

  std::vector<int> torus_dimensions(const ClusterSpec& cluster, int slices)
  {
    require(v_, "network.torus", "network.topology is torus");
    const std::string& text = v_.text("network.torus");
    std::vector<int> dimensions;
    long long product = 1;
    std::stringstream parts(text);
    for (std::string part; std::getline(parts, part, 'x');) {
      const bool digits = !part.empty() && part.size() < 7 &&
                          std::all_of(part.begin(), part.end(), [](char c) { return std::isdigit(c); });
      if (!digits || std::stoi(part) < 1)
        v_.fail("network.torus", fmt::format("expected dimensions such as \"16x16x16\", found \"{}\"", text));
      dimensions.push_back(std::stoi(part));
      if (dimensions.size() > 3)
        break;
      product *= dimensions.back();
    }
    if (dimensions.empty() || dimensions.size() > 3)
      v_.fail("network.torus", fmt::format("expected 1 to 3 dimensions such as \"16x16x16\", found \"{}\"", text));
    // Compared by division: the product (up to 10^18) times the slices would overflow.
    if (cluster.devices() % slices != 0 || product != cluster.devices() / slices)
      v_.fail("network.torus",
              fmt::format("expected dimensions whose product is the {} accelerators of {}, found \"{}\" = {}",
                          cluster.devices() / std::max(1, slices),
                          slices > 1 ? fmt::format("each of the {} slices", slices) : "the cluster", text, product));
    if (product % cluster.accelerators_per_node != 0)
      v_.fail("network.torus", fmt::format("expected a slice of whole hosts: {} accelerators per slice is not a "
                                           "multiple of the {} per host",
                                           product, cluster.accelerators_per_node));
    return dimensions;
  }

  void network(const ClusterSpec& cluster, NetworkSpec& n)
  {
    if (n.topology == Topology::rail_optimized && cluster.nics_per_node > cluster.accelerators_per_node)
      v_.fail("cluster.nics_per_node",
              fmt::format("expected at most one rail per accelerator on a rail-optimized network (rail k serves "
                          "accelerator k of every node), found {} NICs for {} accelerators per node",
                          cluster.nics_per_node, cluster.accelerators_per_node));
    if (n.topology == Topology::torus && cluster.mixed)
      v_.fail("cluster.mixed.nodes", "expected one kind of accelerator on a torus (a TPU slice), found a mixed cluster "
                                     "with network.topology: torus");
    if (n.topology == Topology::torus)
      n.torus_dimensions = torus_dimensions(cluster, n.slices);
    if (n.topology == Topology::dragonfly)
      n.dragonfly = dragonfly(cluster);
    n.separate_storage = chosen("network.storage_network", storage_network_choices) == StorageNetwork::separate;
    if (n.separate_storage) {
      n.storage_nic = v_.has("network.storage_nic")
                          ? find_entry(v_, "network.storage_nic", catalog_.nics(), "catalog/nics.yaml")
                          : cluster.nic;
    }
  }

  DragonflySpec dragonfly(const ClusterSpec& cluster)
  {
    const std::string why = "network.topology is dragonfly";
    DragonflySpec d;
    for (const char* key : {"groups", "routers_per_group", "nodes_per_router"})
      require(v_, fmt::format("network.dragonfly.{}", key), why);
    d.groups = v_.count("network.dragonfly.groups");
    d.routers_per_group = v_.count("network.dragonfly.routers_per_group");
    d.nodes_per_router = v_.count("network.dragonfly.nodes_per_router");
    // In double: three counts up to 2^31 each overflow a long long; the comparison needs only nodes' range.
    const double ports = static_cast<double>(d.groups) * d.routers_per_group * d.nodes_per_router;
    if (cluster.nodes > ports)
      v_.fail("cluster.nodes", fmt::format("expected at most the {} nodes a dragonfly of {} groups x {} routers x {} "
                                           "nodes holds, found {}",
                                           ports, d.groups, d.routers_per_group, d.nodes_per_router, cluster.nodes));
    const auto bandwidth = [&](const std::string& key) {
      const std::string path = "network.dragonfly." + key;
      return v_.has(path) ? v_.number(path) : cluster.nic_bandwidth;
    };
    d.local_bandwidth = v_.count("network.dragonfly.local_links") * bandwidth("local_link_bandwidth");
    d.global_bandwidth = v_.count("network.dragonfly.global_links") * bandwidth("global_link_bandwidth");
    return d;
  }

  StoragePool pool(const std::string& section, const std::string& drives_key, const std::string& why)
  {
    require(v_, section + ".drive", why);
    StoragePool p{find_entry(v_, section + ".drive", catalog_.drives(), "catalog/drives.yaml"),
                  v_.count(section + "." + drives_key)};
    for (const Figure* f : catalog_.drives().at(p.drive.name).figures())
      used_.push_back(f);
    return p;
  }

  /// Why the scenario needs storage of `kind` ("storage.dataset_on is nvme-of"), or "" if nothing does.
  std::string needs_storage(DatasetLocation dataset, CheckpointStorage checkpoint) const
  {
    if (chosen("storage.dataset_on", dataset_location_choices) == dataset)
      return "storage.dataset_on is " + to_string(dataset);
    if (v_.has("checkpoint.every_steps") && v_.has("checkpoint.to") &&
        chosen("checkpoint.to", checkpoint_storage_choices) == checkpoint)
      return "checkpoint.to is " + to_string(checkpoint);
    return "";
  }

  /// Remote storage is laid out only on the fabrics that have a storage switch.
  void refuse_remote_on(const std::string& why, const std::string& kind) const
  {
    const Topology topology = chosen("network.topology", topology_choices);
    if (topology == Topology::torus || topology == Topology::dragonfly)
      v_.fail(why.starts_with("storage") ? "storage.dataset_on" : "checkpoint.to",
              fmt::format("expected storage other than {} with a {} network (remote storage on a {} is not "
                          "modelled yet), found {}",
                          kind, to_string(topology), to_string(topology), why));
  }

  RemoteStorage nvme_of(const std::string& why)
  {
    refuse_remote_on(why, "NVMe-oF");
    require(v_, "storage.nvme_of.targets", why);
    RemoteStorage t;
    t.targets = v_.count("storage.nvme_of.targets");
    t.pool = pool("storage.nvme_of", "drives_per_target", why);
    t.nic = find_entry(v_, "storage.nvme_of.nic", catalog_.nics(), "catalog/nics.yaml");
    t.nics_per_target = v_.count("storage.nvme_of.nics_per_target");
    t.transport = chosen("storage.nvme_of.transport", transport_choices);
    // Sources in the parameter table's help for storage.nvme_of.transport.
    constexpr double rdma_fabric_latency = 20e-6, tcp_extra_latency = 90e-6;
    t.transport_latency = rdma_fabric_latency + (t.transport == Transport::tcp ? tcp_extra_latency : 0);
    t.target_cores = v_.count("storage.nvme_of.target_cores");
    if (t.transport == Transport::tcp && chosen("storage.nvme_of.offload", offload_choices) == Offload::none)
      t.cpu_seconds_per_byte = v_.number("storage.nvme_of.tcp_cpu_cost") / 1e9;
    for (const Figure* f : catalog_.nics().at(t.nic.name).figures())
      used_.push_back(f);
    return t;
  }

  /// A shared all-flash appliance: one target whose one "drive" has the appliance's aggregate figures, from the
  /// scenario's keys or else its catalog model's.
  RemoteStorage appliance(const std::string& why)
  {
    refuse_remote_on(why, "an appliance");
    const Appliance* model =
        v_.has("storage.appliance.model")
            ? &find_entry(v_, "storage.appliance.model", catalog_.appliances(), "catalog/appliances.yaml")
            : nullptr;
    const auto figure = [&](const std::string& key, const Figure Appliance::*field) {
      const std::string path = "storage.appliance." + key;
      if (v_.has(path))
        return Figure{v_.number(path), v_.text(path), "scenario", false, path};
      if (!model)
        require(v_, path, why + " and storage.appliance.model is not given");
      used_.push_back(&(model->*field));
      return model->*field;
    };
    RemoteStorage a;
    a.appliance = true;
    a.pool.drive.name = model ? model->name : "appliance";
    a.pool.drive.read_bandwidth = figure("read_bandwidth", &Appliance::read_bandwidth);
    a.pool.drive.write_bandwidth = figure("write_bandwidth", &Appliance::write_bandwidth);
    a.pool.drive.read_iops = figure("read_iops", &Appliance::read_iops);
    if (v_.has("storage.appliance.read_latency") || model) {
      a.pool.drive.read_latency = figure("read_latency", &Appliance::read_latency);
    } else {
      a.pool.drive.read_latency = Figure{default_appliance_latency, "100 us", "scenario", false, ""};
      stated_.push_back({"scenario default: storage.appliance.read_latency", "100 us",
                         "All-flash appliances over RDMA quote latencies in the low hundreds of microseconds or "
                         "below."});
    }
    if (!v_.has("storage.appliance.port") && !model)
      require(v_, "storage.appliance.port", why + " and storage.appliance.model is not given");
    if (!v_.has("storage.appliance.port") && !catalog_.nics().contains(model->port))
      v_.fail("storage.appliance.model", fmt::format("expected an appliance whose port is a NIC of catalog/nics.yaml, "
                                                     "found {} with port \"{}\"",
                                                     model->name, model->port));
    a.nic = v_.has("storage.appliance.port")
                ? find_entry(v_, "storage.appliance.port", catalog_.nics(), "catalog/nics.yaml")
                : catalog_.nics().at(model->port);
    a.nics_per_target = v_.has("storage.appliance.ports") ? v_.count("storage.appliance.ports")
                                                          : static_cast<int>(figure("ports", &Appliance::ports).value);
    if (v_.has("storage.appliance.power"))
      a.appliance_power = v_.number("storage.appliance.power");
    if (v_.has("storage.appliance.client_read_bandwidth"))
      a.client_read_bandwidth = v_.number("storage.appliance.client_read_bandwidth");
    for (const Figure* f : catalog_.nics().at(a.nic.name).figures())
      used_.push_back(f);
    return a;
  }

  void storage(const WorkloadSpec& workload, StorageSpec& st)
  {
    if (chosen("storage.layout", storage_layout_choices) == StorageLayout::records) {
      require(v_, "storage.samples_per_record", "storage.layout is records");
      st.samples_per_file = v_.count("storage.samples_per_record");
    }
    const double file_bytes = st.samples_per_file * workload.model.sample_bytes.value;
    st.request_bytes = file_bytes / std::ceil(file_bytes / v_.number("storage.max_request"));
    if (const std::string why = needs_storage(DatasetLocation::local_nvme, CheckpointStorage::local_nvme); !why.empty())
      st.local_nvme = pool("storage.local_nvme", "drives_per_node", why);
    const std::string nvme_of_why = needs_storage(DatasetLocation::nvme_of, CheckpointStorage::nvme_of);
    const std::string appliance_why = needs_storage(DatasetLocation::appliance, CheckpointStorage::appliance);
    if (!nvme_of_why.empty() && !appliance_why.empty())
      v_.fail("checkpoint.to", fmt::format("expected the same remote storage as the dataset, found {} and {}",
                                           nvme_of_why, appliance_why));
    if (!nvme_of_why.empty())
      st.remote = nvme_of(nvme_of_why);
    if (!appliance_why.empty())
      st.remote = appliance(appliance_why);
    if (st.dataset_on == DatasetLocation::local_nvme)
      st.request_latency = st.local_nvme->drive.read_latency.value;
    if (st.dataset_is_remote())
      st.request_latency = st.remote->pool.drive.read_latency.value + st.remote->transport_latency;
  }

  void checkpoint(const WorkloadSpec& workload, CheckpointSpec& c)
  {
    if (!c.enabled())
      return;
    require(v_, "checkpoint.to", "checkpoint.every_steps is set");
    c.to = chosen("checkpoint.to", checkpoint_storage_choices);
    c.bytes = workload.model.parameters.value * v_.number("checkpoint.bytes_per_param");
  }

  void failures(const ClusterSpec& cluster, FailureSpec& f)
  {
    if (!f.enabled())
      return;
    f.model_at = v_.location("failures.model");
    const Reliability& catalog = catalog_.reliability();
    f.restart = v_.has("failures.restart") ? v_.number("failures.restart") : catalog.restart.value;
    if (!v_.has("failures.restart"))
      used_.push_back(&catalog.restart);
    if (f.model == FailureModel::nodes) {
      require(v_, "failures.node_mtbf", "failures.model is nodes");
      f.parts = {{"node", static_cast<double>(cluster.nodes), v_.number("failures.node_mtbf")}};
      return;
    }
    const double devices = cluster.devices(), nodes = cluster.nodes;
    for (const auto& [part, mtbf] : catalog.mtbf) {
      const std::string key = "failures." + part + "_mtbf";
      if (!v_.has(key))
        used_.push_back(&mtbf);
      const double units = part.starts_with("accelerator") ? devices
                           : part == "nic"                 ? nodes * cluster.nics_per_node
                                                           : nodes;
      f.parts.push_back({part, units, (v_.has(key) ? v_.number(key) : mtbf.value) / v_.number("failures.scale")});
    }
  }

  bool workload_built_in() const
  {
    const std::string& model = v_.text("workload.model");
    return model.find('/') == std::string::npos && !model.ends_with(".yaml");
  }

  std::string workload_file() const
  {
    const std::string& model = v_.text("workload.model");
    return workload_built_in() ? data_dir_ + "/workloads/" + model + ".yaml" : relative_to(file_, model);
  }

  void workload(const ClusterSpec& cluster, WorkloadSpec& w)
  {
    w.model_file = workload_file();
    w.model_built_in = workload_built_in();
    if (const auto found = not_a_regular_file(w.model_file))
      v_.fail("workload.model", fmt::format("expected a workload in workloads/ or a workload file path, found \"{}\" "
                                            "({} at {})",
                                            v_.text("workload.model"), *found, w.model_file));
    w.model = load_workload(w.model_file);
    const auto kinds_list = kinds(cluster);
    const bool calibrated = std::all_of(kinds_list.begin(), kinds_list.end(), [&](const Accelerator* a) {
      return w.model.measurement(a->name, w.precision, w.batch_per_device);
    });
    // Only assumptions that still stand are reported: not a calibrated efficiency, nor a figure the scenario overrides.
    const auto overridden = [&](const Figure* f) {
      return (calibrated && f == &w.model.efficiency) ||
             (v_.has("workload.dataset_samples") && f == &w.model.dataset_samples) ||
             (v_.has("workload.sample_size") && f == &w.model.sample_bytes);
    };
    for (const Figure* f : w.model.figures())
      if (!overridden(f))
        owned_workload_figures_.push_back(*f);
    w.dataset_samples = v_.has("workload.dataset_samples") ? v_.integer("workload.dataset_samples")
                                                           : std::llround(w.model.dataset_samples.value);
    if (v_.has("workload.sample_size"))
      w.model.sample_bytes.value = v_.number("workload.sample_size");
    if (v_.has("workload.emulated_batch_time"))
      w.emulated_batch_time = v_.number("workload.emulated_batch_time");
    for (const Accelerator* a : kinds(cluster))
      check_runs_on(*a, w);
    if (v_.has("workload.steps") == v_.has("workload.epochs"))
      v_.fail(v_.has("workload.steps") ? "workload.epochs" : "workload",
              "expected exactly one of workload.steps or workload.epochs, found " +
                  std::string(v_.has("workload.steps") ? "both" : "neither"));
    if (v_.has("workload.steps")) {
      w.steps = v_.integer("workload.steps");
    } else {
      w.epochs = v_.number("workload.epochs");
      const double global_batch = static_cast<double>(w.batch_per_device) * cluster.devices() * w.gradient_accumulation;
      const double steps = std::ceil(*w.epochs * static_cast<double>(w.dataset_samples) / global_batch);
      if (steps > max_steps)
        v_.fail("workload.epochs", fmt::format("expected at most {} steps, found {} epochs, which make {:g} steps",
                                               max_steps, v_.text("workload.epochs"), steps));
      w.steps = static_cast<long long>(steps);
    }
  }

  static std::vector<const Accelerator*> kinds(const ClusterSpec& cluster)
  {
    std::vector<const Accelerator*> all{&cluster.accelerator};
    if (cluster.mixed)
      all.push_back(&cluster.mixed->accelerator);
    return all;
  }

  /// The workload's precision must have a peak rate on `a`, and an FPGA needs a dataflow design.
  void check_runs_on(const Accelerator& a, const WorkloadSpec& w) const
  {
    if (!a.peak_rate.contains(w.precision)) {
      std::vector<std::string> offered;
      for (const auto& [precision, rate] : a.peak_rate)
        offered.push_back(precision);
      v_.fail("workload.precision", fmt::format("expected a precision that {} has a peak rate for ({}), found \"{}\"",
                                                a.name, fmt::join(offered, ", "), w.precision));
    }
    if (a.kind == "fpga" && !w.emulated_batch_time && !w.model.dataflow_design(a.name, w.precision))
      v_.fail("workload.model",
              fmt::format("expected a workload with a dataflow design for the FPGA {} in {} (a dataflow_designs row; "
                          "see workloads/README.md), found none in {}",
                          a.name, w.precision, w.model_file));
  }

  void training(const ClusterSpec& cluster, const NetworkSpec& network, TrainingSpec& t)
  {
    t.loader = find_entry(v_, "training.loader", catalog_.loaders(), "catalog/loaders.yaml");
    if (t.protocol == Protocol::ll128 && cluster.intra_node == IntraNode::pcie)
      v_.fail("training.protocol", "expected a protocol NCCL runs on this node: ll128 needs NVLink inside the node "
                                   "(NCCL enables it only there), found ll128 with cluster.intra_node: pcie");
    if (t.allreduce == AllReduceAlgorithm::torus && network.topology != Topology::torus)
      v_.fail("training.allreduce", "expected an algorithm for this network: torus needs network.topology: torus, "
                                    "found \"torus\" with network.topology: " +
                                        v_.text("network.topology"));
    t.channels = v_.has("training.channels") ? v_.count("training.channels")
                 : cluster.nodes > 1         ? cluster.nics_per_node
                                             : 1;
    t.loader_workers = v_.has("training.loader_workers") ? v_.count("training.loader_workers")
                       : is("training.loader", "tf-data")
                           ? std::max(1, cluster.hardware_threads() / cluster.accelerators_per_node)
                           : default_loader_workers;
    if (!v_.has("training.loader_workers") && !is("training.loader", "tf-data"))
      stated_.push_back({"scenario default: training.loader_workers", std::to_string(default_loader_workers),
                         "PyTorch's DataLoader defaults to 0 workers and DALI has no default; 4 per device is a "
                         "common setting in training scripts."});
    if (v_.has("training.evaluation.every_epochs"))
      require(v_, "training.evaluation.samples", "training.evaluation.every_epochs is given");
    t.framework = find_entry_or(v_, "training.framework", catalog_.frameworks(), "catalog/frameworks.yaml",
                                cluster.accelerator.kind == "tpu" ? "jax" : "pytorch-ddp");
    for (const Figure* f : catalog_.frameworks().at(t.framework.name).figures())
      used_.push_back(f);
    t.cycle_time = v_.has("training.cycle_time") ? v_.number("training.cycle_time") : t.framework.cycle_time.value;
    t.batches_by_speed = chosen("training.batch_split", batch_split_choices) == BatchSplit::by_speed;
    t.batch_split_at = v_.location("training.batch_split");
  }

  void cost(Scenario& s)
  {
    CostSpec& c = s.cost;
    c.prices = prices(s);
    const Infrastructure& parts = catalog_.infrastructure();
    for (const Figure* f : {&parts.server_idle_power, &parts.cpu_core_idle_power, &parts.cpu_core_max_power})
      used_.push_back(f);
    if (s.storage.remote && !s.storage.remote->appliance)
      used_.push_back(&parts.storage_server_power);
    if (cluster_resources(s).switch_ports.total() > 0)
      used_.push_back(&parts.switch_port_power);
    if (c.model == CostModel::hourly) {
      require(v_, "cost.device_hour_usd", "cost.model is hourly");
      c.storage_usd_per_byte_month = priced("cost.storage_usd_per_gb_month", parts.cloud_storage_price, 1e-9, true);
    } else if (c.model == CostModel::purchase) {
      for (const auto& item : inventory(s))
        if (!item.unit_usd)
          require(v_, item.price_key,
                  fmt::format("cost.model is purchase and the catalog has no price for {}", item.part));
    }
  }

  /// Each part's price: its cost.*_usd key when set, else the catalog's (nothing when the catalog has none).
  PriceList prices(const Scenario& s)
  {
    const bool purchase = s.cost.model == CostModel::purchase;
    const auto catalog_price = [&](const std::string& key, const std::optional<Figure>& price) {
      if (v_.has(key))
        return std::optional(v_.number(key));
      if (price && purchase)
        used_.push_back(&*price);
      return price ? std::optional(price->value) : std::nullopt;
    };
    const auto& storage = s.storage;
    const auto& remote = storage.remote;
    const Infrastructure& parts = catalog_.infrastructure();
    PriceList p;
    p.accelerator = catalog_price("cost.accelerator_usd", s.cluster.accelerator.price_usd);
    if (s.cluster.mixed)
      p.mixed_accelerator = catalog_price("cost.mixed_accelerator_usd", s.cluster.mixed->accelerator.price_usd);
    p.nic = catalog_price("cost.nic_usd", s.cluster.nic.price_usd);
    if (s.network.separate_storage)
      p.storage_nic = catalog_price("cost.storage_nic_usd", s.network.storage_nic.price_usd);
    if (remote && !remote->appliance) {
      p.target_nic = catalog_price("cost.target_nic_usd", remote->nic.price_usd);
      p.target_drive = catalog_price("cost.target_drive_usd", remote->pool.drive.price_usd);
    }
    if (remote && remote->appliance && v_.has("cost.appliance_usd"))
      p.appliance = v_.number("cost.appliance_usd");
    if (storage.local_nvme)
      p.local_drive = catalog_price("cost.drive_usd", storage.local_nvme->drive.price_usd);
    p.server = v_.has("cost.server_usd")
                   ? v_.number("cost.server_usd")
                   : s.cluster.accelerators_per_node * catalog_figure(parts.server_price, purchase);
    p.cpu_core = priced("cost.cpu_core_usd", parts.cpu_core_price, 1, purchase);
    p.storage_server = priced("cost.storage_server_usd", parts.storage_server_price, 1, purchase);
    p.switch_port = priced("cost.switch_port_usd", parts.switch_port_price, 1, purchase);
    p.memory_per_byte = priced("cost.memory_usd_per_gb", parts.memory_price_per_byte, 1e-9, purchase);
    return p;
  }

  /// The scenario's `key` times `scale` when set, else the catalog's `figure` (already in SI units).
  double priced(const std::string& key, const Figure& figure, double scale, bool in_use)
  {
    return v_.has(key) ? v_.number(key) * scale : catalog_figure(figure, in_use);
  }

  /// `figure`'s value, listed among the run's figures when the cost model uses it.
  double catalog_figure(const Figure& figure, bool in_use)
  {
    if (in_use)
      used_.push_back(&figure);
    return figure.value;
  }

  void check_memory(const Scenario& s) const
  {
    for (const Accelerator* a : kinds(s.cluster))
      if (const auto problem = memory_shortfall(s, *a, s.workload.batch_per_device))
        v_.fail("workload.batch_per_device", *problem);
  }

  /// The CPU's and the loader's figures count where images are decoded on the CPU.
  void note_input_pipeline_figures(const Scenario& s)
  {
    if (!s.workload.model.jpeg || s.storage.dataset_on == DatasetLocation::synthetic || s.workload.emulated_batch_time)
      return;
    for (const Figure* f : catalog_.loaders().at(s.training.loader.name).figures())
      used_.push_back(f);
    if (!s.training.loader.decodes_on_accelerator)
      for (const Figure* f : catalog_.cpus().at(s.cluster.cpu.name).figures())
        used_.push_back(f);
  }

  void collect_assumptions(Scenario& s) const
  {
    const auto add = [&s](const Figure& f) {
      if (f.assumed)
        s.assumptions.push_back({f.where, f.text, f.provenance});
    };
    for (const Figure* f : used_)
      add(*f);
    for (const auto& [path, value] : v_.entries())
      if (value->from_default && !value->parameter->assumption.empty())
        s.assumptions.push_back({"scenario default: " + path, value->text, value->parameter->assumption});
    for (const Figure& f : owned_workload_figures_)
      add(f);
    s.assumptions.insert(s.assumptions.end(), stated_.begin(), stated_.end());
    for (const Accelerator* a : kinds(s.cluster))
      if (const auto* d = s.workload.model.dataflow_design(a->name, s.workload.precision); d && d->assumed)
        s.assumptions.push_back(
            {fmt::format("{}: dataflow_designs {} {}", std::filesystem::path(s.workload.model_file).filename().string(),
                         a->name, s.workload.precision),
             fmt::format("{:g} {}/s", d->samples_per_second, s.workload.model.sample_unit), d->provenance});
    std::sort(s.assumptions.begin(), s.assumptions.end(),
              [](const Assumption& a, const Assumption& b) { return a.where < b.where; });
    s.assumptions.erase(std::unique(s.assumptions.begin(), s.assumptions.end(),
                                    [](const Assumption& a, const Assumption& b) { return a.where == b.where; }),
                        s.assumptions.end());
  }

  /// The enum value of choice key `path`, read through the one table its choices come from.
  template <typename E, std::size_t N> E chosen(const std::string& path, const ChoiceTable<E, N>& table) const
  {
    return from_text(table, v_.text(path));
  }

  /// Whether the choice key `path`, which has no enum, is `literal`; a literal not among its choices is a bug.
  bool is(const std::string& path, const std::string& literal) const
  {
    const auto& choices = declared(path).choices;
    if (std::find(choices.begin(), choices.end(), literal) == choices.end())
      throw std::logic_error(fmt::format("dtsim bug: \"{}\" is not a choice of {}", literal, path));
    return v_.text(path) == literal;
  }

  const ResolvedParameters& v_;
  const Catalog& catalog_;
  std::string file_;
  std::string data_dir_;
  std::vector<Assumption> stated_; ///< assumptions behind values worked out here rather than read
  std::vector<const Figure*> used_;
  std::vector<Figure> owned_workload_figures_;
};

/// Fills the cluster section from the named node building block, keys the scenario sets winning.
void inherit_node(Document& doc, const std::string& data_dir)
{
  const YAML::Node cluster = doc.root()["cluster"];
  if (!cluster.IsDefined() || !cluster.IsMap() || !cluster["node"].IsDefined())
    return;
  const YAML::Node name_node = cluster["node"];
  const std::string name = read_text(doc, name_node, "cluster.node");
  const std::filesystem::path file = name.find('/') == std::string::npos && !name.ends_with(".yaml")
                                         ? std::filesystem::path(data_dir) / "topologies" / (name + ".yaml")
                                         : std::filesystem::path(relative_to(doc.file(), name));
  if (const auto found = not_a_regular_file(file.string()); found == "no file") {
    std::vector<std::string> known;
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(data_dir) / "topologies"))
      if (entry.path().extension() == ".yaml")
        known.push_back(entry.path().stem().string());
    std::sort(known.begin(), known.end());
    const std::string near = closest_name(name, known);
    fail(doc, "cluster.node", name_node,
         fmt::format("expected a node in topologies/ ({}) or a file path, found \"{}\"{}", fmt::join(known, ", "), name,
                     near.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", near)));
  } else if (found) {
    fail(doc, "cluster.node", name_node,
         fmt::format("expected a node in topologies/ or a node file, found \"{}\" ({} at {})", name, *found,
                     file.string()));
  }
  const Document block = Document::load(file.string());
  check_keys(block, block.root(), "", {"about", "source", "cluster"});
  std::vector<std::string> cluster_keys;
  for (const auto& p : scenario_parameters())
    if (p.path.starts_with("cluster.") && p.path != "cluster.nodes" && p.path != "cluster.node")
      cluster_keys.push_back(p.path.substr(std::string("cluster.").size()));
  const YAML::Node& block_cluster = block.root()["cluster"];
  if (!block_cluster.IsDefined() || !block_cluster.IsMap())
    fail(block, "cluster", block_cluster, "expected a section of cluster keys, found " + describe(block_cluster));
  check_keys(block, block_cluster, "cluster", cluster_keys);
  doc.inherit("cluster", block);
}

/// A scenario is a section of sections; a sweep definition or a list of validation cases is not one.
void check_is_scenario(const Document& doc)
{
  const YAML::Node& root = doc.root();
  const auto refuse = [&](const std::string& hint) {
    fail(doc, "", root,
         fmt::format("expected a scenario: a section with cluster:, workload: and the other sections, found {}{}",
                     describe(root), hint));
  };
  if (!root.IsMap())
    refuse("");
  if (root["grid"].IsDefined() || root["base"].IsDefined())
    refuse(" with base: and grid:, a sweep definition (run it with dtsim sweep)");
  if (root["cases"].IsDefined())
    refuse(" with cases:, a list of validation cases (run it with dtsim check)");
}

void check_version(const Document& doc)
{
  const YAML::Node& root = doc.root();
  const YAML::Node version = root["version"];
  if (!version.IsDefined())
    return; // reported as a missing key with the rest
  if (read_integer(doc, version, "version") != 1)
    fail(doc, "version", version,
         fmt::format("expected 1, the only scenario format this dtsim reads, found {}", describe(version)));
}

/// `path`, removed by the `--set` `assignment`, is a key or a section of the scenario format: a misspelt key set to
/// null would otherwise remove nothing, silently.
void check_known(const std::string& path, const std::string& assignment)
{
  std::vector<std::string> known;
  for (const Parameter& p : scenario_parameters()) {
    if (p.path == path || p.path.starts_with(path + "."))
      return;
    known.push_back(p.path);
  }
  const std::string near = closest_name(path, known);
  throw ConfigError({"--set " + assignment, 0, 0}, path,
                    fmt::format("unknown key{}: expected a key of the scenario (dtsim reference lists them)",
                                near.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", near)));
}

/// Overrides, validates and resolves the scenario `doc`.
Scenario resolve_scenario(Document doc, const std::vector<std::string>& overrides, const std::string& data_dir)
{
  const std::string path = doc.file();
  for (const auto& assignment : overrides) {
    // The run's length given on the command line replaces the file's, in steps or in epochs.
    for (const auto& [given, replaced] : {std::pair{"steps", "epochs"}, std::pair{"epochs", "steps"}})
      if (assignment.starts_with(fmt::format("workload.{}=", given)))
        doc.remove("workload", replaced);
    if (const auto removed = doc.apply_override(assignment))
      check_known(*removed, assignment);
  }
  check_is_scenario(doc);
  check_version(doc);
  inherit_node(doc, data_dir);
  const ResolvedParameters values = ResolvedParameters::resolve(doc, scenario_parameters());
  Catalog catalog = Catalog::load(data_dir);
  if (values.has("catalog")) {
    const std::string file = relative_to(path, values.text("catalog"));
    if (const auto found = not_a_regular_file(file))
      values.fail("catalog", fmt::format("expected a catalog file, found {} at {}", *found, file));
    catalog.add_file(file);
  }
  return Builder(values, catalog, path, data_dir).build();
}

} // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides, const std::string& data_dir)
{
  return resolve_scenario(Document::load(path), overrides, data_dir);
}

Scenario parse_scenario(const std::string& text, const std::string& name, const std::vector<std::string>& overrides,
                        const std::string& data_dir)
{
  return resolve_scenario(Document::parse(text, name), overrides, data_dir);
}

std::optional<std::string> memory_shortfall(const Scenario& s, const Accelerator& accelerator, int batch)
{
  const double state = s.workload.model.parameters.value * s.training.model_state_bytes_per_param;
  // activation_bytes_per_sample is stated for 16-bit activations.
  const double per_sample =
      s.workload.model.activation_bytes_per_sample.value * element_bytes(s.workload.precision) / 2;
  const double activations = per_sample * batch;
  const double capacity = accelerator.memory.value;
  if (state + activations <= capacity)
    return std::nullopt;
  const auto size = [](double b) { return units::format(b, Dimension::size); };
  return fmt::format("expected a batch that fits in the {} memory of {}, found {}, which needs {} (model state {} + "
                     "activations {} x {}); at most {} fit",
                     size(capacity), accelerator.name, batch, size(state + activations), size(state), batch,
                     size(per_sample),
                     state >= capacity ? 0LL : static_cast<long long>((capacity - state) / per_sample));
}

} // namespace dtsim::config
