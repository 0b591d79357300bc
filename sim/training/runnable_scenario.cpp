#include "training/runnable_scenario.hpp"

#include "training/device_groups.hpp"

namespace dtsim::training {

config::Scenario load_runnable_scenario(const std::string& path, const std::vector<std::string>& overrides,
                                        const std::string& data_dir)
{
  config::Scenario scenario = config::load_scenario(path, overrides, data_dir);
  plan_device_groups(scenario); // throws at training.batch_split when a by-speed batch does not fit
  return scenario;
}

} // namespace dtsim::training
