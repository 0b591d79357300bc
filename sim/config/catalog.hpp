#pragma once
/// @brief Hardware and workload data files: accelerators, NICs, drives (catalog/) and models (workloads/).
///
/// Every figure carries where it was published, or the assumption that stands in for a missing source.
#include "config/document.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dtsim::config {

/// @brief One number from a data file, in SI units, with its source or the assumption behind it.
struct Figure {
  double value = 0;
  std::string text;       ///< the value as written, unit included
  std::string provenance; ///< the source, or the assumption's text
  bool assumed = false;
  std::string where; ///< "accelerators.yaml: accelerators.A100-SXM4-80GB.idle_power"
};

struct Accelerator {
  std::string name;
  std::string kind; ///< gpu | tpu | fpga
  std::string vendor;
  std::map<std::string, Figure> peak_rate; ///< precision -> dense FLOP/s
  Figure memory, memory_bandwidth, link_bandwidth, host_link_bandwidth, max_power, idle_power;
  std::optional<Figure> price_usd;
  std::vector<const Figure*> figures() const;
};

struct Nic {
  std::string name;
  Figure bandwidth, latency, power;
  std::optional<Figure> price_usd;
  std::vector<const Figure*> figures() const;
};

struct Drive {
  std::string name;
  Figure read_bandwidth, write_bandwidth, read_iops, write_iops, read_latency, capacity;
  Figure active_power, idle_power; ///< reading at full bandwidth, and idle
  std::optional<Figure> price_usd;
  std::vector<const Figure*> figures() const;
};

/// @brief A shared all-flash storage appliance, by its aggregate figures.
struct Appliance {
  std::string name;
  Figure read_bandwidth, write_bandwidth, read_iops, read_latency, ports;
  std::string port; ///< NIC model of its ports, a name from catalog/nics.yaml
  std::vector<const Figure*> figures() const;
};

/// @brief A training framework's fixed costs beyond compute and bandwidth.
struct Framework {
  std::string name;
  Figure per_parameter_tensor; ///< s of host time per optimizer step per parameter tensor, on more than one device
  Figure cycle_time;           ///< s between ticks of the loop that starts collectives; 0 when they start at once
  std::vector<const Figure*> figures() const;
};

/// @brief A host CPU: its hardware threads per core and the per-core rates of the JPEG input pipeline.
struct Cpu {
  std::string name;
  Figure threads_per_core;
  Figure jpeg_decode_rate; ///< decoded pixels per second on one core
  Figure resize_rate;      ///< source pixels per second on one core, bilinear resize
  std::vector<const Figure*> figures() const;
};

/// @brief An input pipeline (training.loader): its cost per sample beyond decode and resize, and where it decodes.
struct Loader {
  std::string name;
  Figure per_sample_overhead; ///< core-seconds
  Figure jpeg_fraction;       ///< of the stored images, those kept as JPEG and decoded; the rest are stored raw
  bool decodes_on_accelerator = false;
  std::vector<const Figure*> figures() const;
};

/// @brief The parts of a cluster besides accelerators, NICs and drives, priced and powered for the cost model.
/// @brief How often each kind of part stops a synchronous job (catalog/reliability.yaml).
struct Reliability {
  std::vector<std::pair<std::string, Figure>> mtbf; ///< part -> MTBF of one unit, in the file's order
  Figure restart;                                   ///< from a failure until the job restores or starts again
};

struct Infrastructure {
  Figure server_price;          ///< per accelerator it holds: a node's server without accelerators, CPU cores,
                                ///< NICs and drives (chassis, NVLink baseboard, memory, power supplies)
  Figure server_idle_power;     ///< per accelerator it holds: that server's own constant draw
  Figure cpu_core_price;        ///< one CPU core, from a server CPU's price over its cores
  Figure cpu_core_idle_power;   ///< per core, idle
  Figure cpu_core_max_power;    ///< per core, fully busy
  Figure storage_server_price;  ///< an NVMe-oF target without drives and NICs
  Figure storage_server_power;  ///< that server's draw, drives and NICs aside
  Figure switch_port_price;     ///< one port of a network switch, its share of the chassis included
  Figure switch_port_power;     ///< one port's share of the switch's draw
  Figure memory_price_per_byte; ///< server DRAM, for more page cache
  Figure cloud_storage_price;   ///< USD per byte-month of a cloud parallel file system
  std::vector<const Figure*> figures() const;
};

/// @brief A published single-device training throughput, used to calibrate the achieved compute rate.
struct MeasuredThroughput {
  std::string accelerator;
  std::string precision;
  long long batch_per_device = 0;
  double samples_per_second = 0;
  std::string source;
};

/// @brief An FPGA design of this workload: a pipeline that trains at a fixed rate once it is full.
struct DataflowDesign {
  std::string accelerator;
  std::string precision;
  double samples_per_second = 0; ///< trained samples per second at the design's clock
  double latency = 0;            ///< s for one sample to pass through the pipeline (fill and drain)
  std::string clock;             ///< as published, for the record
  std::string provenance;        ///< the source, or the assumption's text
  bool assumed = false;
};

/// @brief Samples that are JPEG images, decoded whole and cropped at random before resizing.
struct JpegImages {
  Figure decoded_pixels;     ///< mean pixels of one decoded image
  Figure crop_area_fraction; ///< mean share of the image the random crop keeps and resizes
};

struct Workload {
  std::string name, task, sample_unit;
  Figure parameters, parameter_tensors, forward_flops_per_sample, memory_traffic_per_sample, sample_bytes,
      activation_bytes_per_sample, dataset_samples, efficiency, half_efficiency_batch;
  /// Preprocessing: JPEG images, whose cost follows from the CPU and the loader, or a fixed cost per sample.
  std::optional<JpegImages> jpeg;
  std::optional<Figure> cpu_cost_per_sample; ///< core-seconds, when the samples are not JPEG images
  std::vector<MeasuredThroughput> measured_throughput;
  std::vector<DataflowDesign> dataflow_designs;
  std::vector<const Figure*> figures() const;
  /// The published throughput on this accelerator and precision closest in batch size, or nullptr.
  const MeasuredThroughput* measurement(const std::string& accelerator, const std::string& precision,
                                        long long batch_per_device) const;
  /// The FPGA design for this accelerator and precision, or nullptr.
  const DataflowDesign* dataflow_design(const std::string& accelerator, const std::string& precision) const;
};

/// @brief The accelerators, NICs, drives and infrastructure known to dtsim, read from `<data_dir>/catalog/*.yaml`.
class Catalog {
public:
  static Catalog load(const std::string& data_dir);

  /// Adds the entries of a user's own file in the catalog format (any of `accelerators:`, `nics:`,
  /// `drives:`, `cpus:`, `appliances:`); a name the catalog already has is an error, so nothing is shadowed silently.
  void add_file(const std::string& path);

  const std::map<std::string, Accelerator>& accelerators() const { return accelerators_; }
  const std::map<std::string, Nic>& nics() const { return nics_; }
  const std::map<std::string, Drive>& drives() const { return drives_; }
  const std::map<std::string, Cpu>& cpus() const { return cpus_; }
  const std::map<std::string, Appliance>& appliances() const { return appliances_; }
  const std::map<std::string, Framework>& frameworks() const { return frameworks_; }
  const std::map<std::string, Loader>& loaders() const { return loaders_; }
  const Infrastructure& infrastructure() const { return infrastructure_; }
  const Reliability& reliability() const { return reliability_; }

private:
  std::map<std::string, Accelerator> accelerators_;
  std::map<std::string, Nic> nics_;
  std::map<std::string, Drive> drives_;
  std::map<std::string, Cpu> cpus_;
  std::map<std::string, Appliance> appliances_;
  std::map<std::string, Framework> frameworks_;
  std::map<std::string, Loader> loaders_;
  Infrastructure infrastructure_;
  Reliability reliability_;
};

/// Reads a workload file (see workloads/README.md).
Workload load_workload(const std::string& path);

/// The precisions a scenario may name, in the order they are documented.
const std::vector<std::string>& precisions();

/// Bytes of one stored value in `precision`: 4 for fp32 and tf32, 2 for fp16 and bf16, 1 for fp8 and int8.
double element_bytes(const std::string& precision);

} // namespace dtsim::config
