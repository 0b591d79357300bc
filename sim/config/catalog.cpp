#include "config/catalog.hpp"

#include "config/value_reader.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>

namespace dtsim::config {

using units::Dimension;

const std::vector<std::string>& precisions()
{
  static const std::vector<std::string> names{"fp32", "tf32", "fp16", "bf16", "fp8", "int8"};
  return names;
}

double element_bytes(const std::string& precision)
{
  if (precision == "fp32" || precision == "tf32")
    return 4;
  if (precision == "fp16" || precision == "bf16")
    return 2;
  return 1;
}

namespace {

Figure read_figure(const MapReader& entry, const std::string& key, Dimension dim)
{
  const MapReader figure = entry.section(key);
  Figure result;
  result.value = figure.quantity("value", dim);
  result.text = figure.text("value");
  result.where =
      fmt::format("{}: {}", std::filesystem::path(entry.document().file()).filename().string(), entry.path_of(key));
  const bool sourced = figure.has("source");
  if (sourced == figure.has("assumption"))
    entry.fail_at(key, "expected exactly one of \"source\" or \"assumption\" next to the value");
  result.assumed = !sourced;
  result.provenance = figure.text(sourced ? "source" : "assumption");
  figure.finish();
  return result;
}

std::optional<Figure> read_optional_figure(const MapReader& entry, const std::string& key, Dimension dim)
{
  if (!entry.has(key))
    return std::nullopt;
  return read_figure(entry, key, dim);
}

Accelerator read_accelerator(const MapReader& entry, const std::string& name)
{
  Accelerator a;
  a.name = name;
  a.kind = entry.text("kind");
  if (a.kind != "gpu" && a.kind != "tpu" && a.kind != "fpga")
    entry.fail_at("kind", fmt::format("expected gpu, tpu or fpga, found \"{}\"", a.kind));
  a.vendor = entry.text("vendor");
  const MapReader rates = entry.section("peak_rate");
  for (const auto& precision : rates.keys()) {
    if (std::find(precisions().begin(), precisions().end(), precision) == precisions().end())
      continue; // reported by finish() below
    a.peak_rate[precision] = read_figure(rates, precision, Dimension::flop_rate);
  }
  rates.finish();
  a.memory = read_figure(entry, "memory", Dimension::size);
  a.memory_bandwidth = read_figure(entry, "memory_bandwidth", Dimension::bandwidth);
  a.link_bandwidth = read_figure(entry, "link_bandwidth", Dimension::bandwidth);
  a.host_link_bandwidth = read_figure(entry, "host_link_bandwidth", Dimension::bandwidth);
  a.max_power = read_figure(entry, "max_power", Dimension::power);
  a.idle_power = read_figure(entry, "idle_power", Dimension::power);
  a.price_usd = read_optional_figure(entry, "price_usd", Dimension::number);
  entry.finish();
  return a;
}

Nic read_nic(const MapReader& entry, const std::string& name)
{
  Nic n{name, read_figure(entry, "bandwidth", Dimension::bandwidth), read_figure(entry, "latency", Dimension::time),
        read_figure(entry, "power", Dimension::power), read_optional_figure(entry, "price_usd", Dimension::number)};
  entry.finish();
  return n;
}

Drive read_drive(const MapReader& entry, const std::string& name)
{
  Drive d;
  d.name = name;
  d.read_bandwidth = read_figure(entry, "read_bandwidth", Dimension::bandwidth);
  d.write_bandwidth = read_figure(entry, "write_bandwidth", Dimension::bandwidth);
  d.read_iops = read_figure(entry, "read_iops", Dimension::number);
  d.write_iops = read_figure(entry, "write_iops", Dimension::number);
  d.read_latency = read_figure(entry, "read_latency", Dimension::time);
  d.capacity = read_figure(entry, "capacity", Dimension::size);
  d.active_power = read_figure(entry, "active_power", Dimension::power);
  d.idle_power = read_figure(entry, "idle_power", Dimension::power);
  d.price_usd = read_optional_figure(entry, "price_usd", Dimension::number);
  entry.finish();
  return d;
}

Cpu read_cpu(const MapReader& entry, const std::string& name)
{
  Cpu c{name, read_figure(entry, "threads_per_core", Dimension::number),
        read_figure(entry, "jpeg_decode_rate", Dimension::number),
        read_figure(entry, "resize_rate", Dimension::number)};
  if (c.threads_per_core.value < 1 || c.threads_per_core.value > 8 ||
      c.threads_per_core.value != std::floor(c.threads_per_core.value))
    entry.fail_at("threads_per_core", "expected a whole number from 1 to 8, found " + c.threads_per_core.text);
  for (const auto* rate : {&c.jpeg_decode_rate, &c.resize_rate})
    if (!(rate->value > 0) || !std::isfinite(rate->value))
      entry.fail_at(rate == &c.jpeg_decode_rate ? "jpeg_decode_rate" : "resize_rate",
                    "expected pixels per second above 0, found " + rate->text);
  entry.finish();
  return c;
}

Appliance read_appliance(const MapReader& entry, const std::string& name)
{
  Appliance a{name,
              read_figure(entry, "read_bandwidth", Dimension::bandwidth),
              read_figure(entry, "write_bandwidth", Dimension::bandwidth),
              read_figure(entry, "read_iops", Dimension::number),
              read_figure(entry, "read_latency", Dimension::time),
              read_figure(entry, "ports", Dimension::number),
              entry.text("port")};
  for (const auto& [key, figure] : {std::pair{"read_bandwidth", &a.read_bandwidth},
                                    {"write_bandwidth", &a.write_bandwidth},
                                    {"read_iops", &a.read_iops},
                                    {"ports", &a.ports}})
    if (!(figure->value > 0) || !std::isfinite(figure->value))
      entry.fail_at(key, "expected a value above 0, found " + figure->text);
  if (a.ports.value != std::floor(a.ports.value))
    entry.fail_at("ports", "expected a whole number of ports, found " + a.ports.text);
  entry.finish();
  return a;
}

Framework read_framework(const MapReader& entry, const std::string& name)
{
  Framework f{name, read_figure(entry, "per_parameter_tensor", Dimension::time),
              read_figure(entry, "cycle_time", Dimension::time)};
  entry.finish();
  return f;
}

Loader read_loader(const MapReader& entry, const std::string& name)
{
  Loader l{name, read_figure(entry, "per_sample_overhead", Dimension::time),
           read_figure(entry, "jpeg_fraction", Dimension::number)};
  if (l.jpeg_fraction.value < 0 || l.jpeg_fraction.value > 1)
    entry.fail_at("jpeg_fraction", "expected a fraction from 0 to 1, found " + l.jpeg_fraction.text);
  const std::string decodes_on = entry.text("decodes_on");
  if (decodes_on != "cpu" && decodes_on != "accelerator")
    entry.fail_at("decodes_on", fmt::format("expected cpu or accelerator, found \"{}\"", decodes_on));
  l.decodes_on_accelerator = decodes_on == "accelerator";
  entry.finish();
  return l;
}

/// Reads the entries of `section` into `into`; `origin` names where `into`'s entries came from.
template <typename Entry, typename ReadEntry>
void read_section(const MapReader& section, ReadEntry read_entry, std::map<std::string, Entry>& into,
                  const std::string& origin)
{
  for (const auto& name : section.keys()) {
    if (into.contains(name))
      section.fail_at(name, fmt::format("expected a name not already in {}, found \"{}\"", origin, name));
    into.emplace(name, read_entry(section.section(name), name));
  }
}

template <typename Entry, typename ReadEntry>
std::map<std::string, Entry> read_entries(const std::string& path, const std::string& top_key, ReadEntry read_entry)
{
  const Document doc = Document::load(path);
  const MapReader file(doc, doc.root(), "");
  std::map<std::string, Entry> result;
  read_section(file.section(top_key), read_entry, result, path);
  file.finish();
  return result;
}

/// Reads each row of the optional list `key` with `read_row`, then checks the row has no other keys.
template <typename ReadRow> void for_each_row(const MapReader& file, const std::string& key, ReadRow read_row)
{
  if (!file.has(key))
    return;
  const YAML::Node rows = file.node(key);
  if (!rows.IsSequence())
    file.fail_at(key, "expected a list of rows, found " + describe(rows));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const MapReader row(file.document(), rows[i], fmt::format("{}[{}]", key, i));
    read_row(row);
    row.finish();
  }
}

Infrastructure read_infrastructure(const std::string& path)
{
  const Document doc = Document::load(path);
  const MapReader file(doc, doc.root(), "");
  const MapReader parts = file.section("infrastructure");
  const auto part = [&](const std::string& name, auto read) {
    const MapReader entry = parts.section(name);
    read(entry);
    entry.finish();
  };
  Infrastructure i;
  part("server", [&](const MapReader& e) {
    i.server_price = read_figure(e, "price_usd", Dimension::number);
    i.server_idle_power = read_figure(e, "idle_power", Dimension::power);
  });
  part("cpu_core", [&](const MapReader& e) {
    i.cpu_core_price = read_figure(e, "price_usd", Dimension::number);
    i.cpu_core_idle_power = read_figure(e, "idle_power", Dimension::power);
    i.cpu_core_max_power = read_figure(e, "max_power", Dimension::power);
  });
  part("storage_server", [&](const MapReader& e) {
    i.storage_server_price = read_figure(e, "price_usd", Dimension::number);
    i.storage_server_power = read_figure(e, "power", Dimension::power);
  });
  part("switch_port", [&](const MapReader& e) {
    i.switch_port_price = read_figure(e, "price_usd", Dimension::number);
    i.switch_port_power = read_figure(e, "power", Dimension::power);
  });
  part("memory", [&](const MapReader& e) {
    i.memory_price_per_byte = read_figure(e, "price_usd_per_gb", Dimension::number);
    i.memory_price_per_byte.value /= 1e9;
  });
  part("cloud_storage", [&](const MapReader& e) {
    i.cloud_storage_price = read_figure(e, "usd_per_gb_month", Dimension::number);
    i.cloud_storage_price.value /= 1e9;
  });
  parts.finish();
  file.finish();
  return i;
}

/// The parts a synchronous job can lose, in the order the report lists them.
constexpr std::array<const char*, 6> failing_parts{"accelerator", "accelerator_memory", "nic", "host", "network",
                                                   "software"};

Reliability read_reliability(const std::string& path)
{
  const Document doc = Document::load(path);
  const MapReader file(doc, doc.root(), "");
  const MapReader parts = file.section("reliability");
  Reliability r;
  for (const char* name : failing_parts) {
    const MapReader entry = parts.section(name);
    r.mtbf.emplace_back(name, read_figure(entry, "mtbf", Dimension::time));
    entry.finish();
  }
  const MapReader restart = parts.section("restart");
  r.restart = read_figure(restart, "time", Dimension::time);
  restart.finish();
  parts.finish();
  file.finish();
  return r;
}

} // namespace

Catalog Catalog::load(const std::string& data_dir)
{
  Catalog catalog;
  catalog.accelerators_ =
      read_entries<Accelerator>(data_dir + "/catalog/accelerators.yaml", "accelerators", read_accelerator);
  catalog.nics_ = read_entries<Nic>(data_dir + "/catalog/nics.yaml", "nics", read_nic);
  catalog.drives_ = read_entries<Drive>(data_dir + "/catalog/drives.yaml", "drives", read_drive);
  catalog.cpus_ = read_entries<Cpu>(data_dir + "/catalog/cpus.yaml", "cpus", read_cpu);
  catalog.appliances_ = read_entries<Appliance>(data_dir + "/catalog/appliances.yaml", "appliances", read_appliance);
  catalog.loaders_ = read_entries<Loader>(data_dir + "/catalog/loaders.yaml", "loaders", read_loader);
  catalog.frameworks_ = read_entries<Framework>(data_dir + "/catalog/frameworks.yaml", "frameworks", read_framework);
  catalog.infrastructure_ = read_infrastructure(data_dir + "/catalog/infrastructure.yaml");
  catalog.reliability_ = read_reliability(data_dir + "/catalog/reliability.yaml");
  return catalog;
}

void Catalog::add_file(const std::string& path)
{
  const Document doc = Document::load(path);
  const MapReader file(doc, doc.root(), "");
  if (file.has("accelerators"))
    read_section(file.section("accelerators"), read_accelerator, accelerators_, "catalog/accelerators.yaml");
  if (file.has("nics"))
    read_section(file.section("nics"), read_nic, nics_, "catalog/nics.yaml");
  if (file.has("drives"))
    read_section(file.section("drives"), read_drive, drives_, "catalog/drives.yaml");
  if (file.has("cpus"))
    read_section(file.section("cpus"), read_cpu, cpus_, "catalog/cpus.yaml");
  if (file.has("appliances"))
    read_section(file.section("appliances"), read_appliance, appliances_, "catalog/appliances.yaml");
  file.finish();
}

Workload load_workload(const std::string& path)
{
  const Document doc = Document::load(path);
  const MapReader file(doc, doc.root(), "");
  Workload w;
  w.name = file.text("name");
  w.task = file.text("task");
  w.sample_unit = file.text("sample_unit");
  w.parameters = read_figure(file, "parameters", Dimension::number);
  w.parameter_tensors = read_figure(file, "parameter_tensors", Dimension::number);
  if (w.parameter_tensors.value < 1 || w.parameter_tensors.value != std::floor(w.parameter_tensors.value))
    file.fail_at("parameter_tensors", "expected a whole number of 1 or more, found " + w.parameter_tensors.text);
  w.forward_flops_per_sample = read_figure(file, "forward_flops_per_sample", Dimension::flop_count);
  w.memory_traffic_per_sample = read_figure(file, "memory_traffic_per_sample", Dimension::size);
  w.sample_bytes = read_figure(file, "sample_bytes", Dimension::size);
  w.cpu_cost_per_sample = read_optional_figure(file, "cpu_cost_per_sample", Dimension::time);
  if (file.has("jpeg")) {
    const MapReader jpeg = file.section("jpeg");
    w.jpeg = JpegImages{read_figure(jpeg, "decoded_pixels", Dimension::number),
                        read_figure(jpeg, "crop_area_fraction", Dimension::number)};
    if (!(w.jpeg->decoded_pixels.value > 0))
      jpeg.fail_at("decoded_pixels", "expected pixels above 0, found " + w.jpeg->decoded_pixels.text);
    if (!(w.jpeg->crop_area_fraction.value > 0 && w.jpeg->crop_area_fraction.value <= 1))
      jpeg.fail_at("crop_area_fraction", "expected a fraction in (0, 1], found " + w.jpeg->crop_area_fraction.text);
    jpeg.finish();
  }
  if (w.jpeg.has_value() == w.cpu_cost_per_sample.has_value())
    file.fail_at(w.jpeg ? "cpu_cost_per_sample" : "name",
                 "expected exactly one of jpeg (samples that are JPEG images) or cpu_cost_per_sample");
  w.activation_bytes_per_sample = read_figure(file, "activation_bytes_per_sample", Dimension::size);
  w.dataset_samples = read_figure(file, "dataset_samples", Dimension::number);
  w.efficiency = read_figure(file, "efficiency", Dimension::number);
  w.half_efficiency_batch = read_figure(file, "half_efficiency_batch", Dimension::number);
  if (w.efficiency.value <= 0 || w.efficiency.value > 1)
    file.fail_at("efficiency", fmt::format("expected a fraction of peak in (0, 1], found {}", w.efficiency.text));
  if (w.half_efficiency_batch.value < 0)
    file.fail_at("half_efficiency_batch",
                 fmt::format("expected a batch size of 0 or more, found {}", w.half_efficiency_batch.text));
  for_each_row(file, "measured_throughput", [&](const MapReader& row) {
    w.measured_throughput.push_back({row.text("accelerator"), row.text("precision"), row.integer("batch_per_device"),
                                     row.quantity("samples_per_second", Dimension::number), row.text("source")});
  });
  for_each_row(file, "dataflow_designs", [&](const MapReader& row) {
    const bool sourced = row.has("source");
    if (sourced == row.has("assumption"))
      row.fail_at(sourced ? "assumption" : "clock", "expected exactly one of \"source\" or \"assumption\" in the row");
    w.dataflow_designs.push_back({row.text("accelerator"), row.text("precision"),
                                  row.quantity("samples_per_second", Dimension::number),
                                  row.quantity("latency", Dimension::time), row.text("clock"),
                                  row.text(sourced ? "source" : "assumption"), !sourced});
  });
  file.finish();
  return w;
}

std::vector<const Figure*> Accelerator::figures() const
{
  std::vector<const Figure*> all{&memory,    &memory_bandwidth, &link_bandwidth, &host_link_bandwidth,
                                 &max_power, &idle_power};
  for (const auto& [precision, rate] : peak_rate)
    all.push_back(&rate);
  if (price_usd)
    all.push_back(&*price_usd);
  return all;
}

std::vector<const Figure*> Nic::figures() const
{
  std::vector<const Figure*> all{&bandwidth, &latency, &power};
  if (price_usd)
    all.push_back(&*price_usd);
  return all;
}

std::vector<const Figure*> Drive::figures() const
{
  std::vector<const Figure*> all{&read_bandwidth, &write_bandwidth, &read_iops,    &write_iops,
                                 &read_latency,   &capacity,        &active_power, &idle_power};
  if (price_usd)
    all.push_back(&*price_usd);
  return all;
}

std::vector<const Figure*> Infrastructure::figures() const
{
  return {&server_price,       &server_idle_power,     &cpu_core_price,       &cpu_core_idle_power,
          &cpu_core_max_power, &storage_server_price,  &storage_server_power, &switch_port_price,
          &switch_port_power,  &memory_price_per_byte, &cloud_storage_price};
}

const MeasuredThroughput* Workload::measurement(const std::string& accelerator, const std::string& precision,
                                                long long batch_per_device) const
{
  const MeasuredThroughput* best = nullptr;
  for (const auto& m : measured_throughput) {
    if (m.accelerator != accelerator || m.precision != precision)
      continue;
    if (!best ||
        std::llabs(m.batch_per_device - batch_per_device) < std::llabs(best->batch_per_device - batch_per_device))
      best = &m;
  }
  return best;
}

const DataflowDesign* Workload::dataflow_design(const std::string& accelerator, const std::string& precision) const
{
  const auto it = std::find_if(dataflow_designs.begin(), dataflow_designs.end(), [&](const DataflowDesign& d) {
    return d.accelerator == accelerator && d.precision == precision;
  });
  return it == dataflow_designs.end() ? nullptr : &*it;
}

std::vector<const Figure*> Workload::figures() const
{
  std::vector<const Figure*> all{
      &parameters,           &parameter_tensors,           &forward_flops_per_sample, &memory_traffic_per_sample,
      &sample_bytes,         &activation_bytes_per_sample, &dataset_samples,          &efficiency,
      &half_efficiency_batch};
  if (jpeg) {
    all.push_back(&jpeg->decoded_pixels);
    all.push_back(&jpeg->crop_area_fraction);
  }
  if (cpu_cost_per_sample)
    all.push_back(&*cpu_cost_per_sample);
  return all;
}

std::vector<const Figure*> Cpu::figures() const
{
  return {&threads_per_core, &jpeg_decode_rate, &resize_rate};
}

std::vector<const Figure*> Appliance::figures() const
{
  return {&read_bandwidth, &write_bandwidth, &read_iops, &read_latency, &ports};
}

std::vector<const Figure*> Framework::figures() const
{
  return {&per_parameter_tensor, &cycle_time};
}

std::vector<const Figure*> Loader::figures() const
{
  return {&per_sample_overhead, &jpeg_fraction};
}

} // namespace dtsim::config
