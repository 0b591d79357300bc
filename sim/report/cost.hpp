#pragma once
/// @brief Energy and cost of a run, part by part, from the scenario's inventory and the run's utilisation.
///
/// Energy: each part draws its idle power for the whole run and, in proportion to how busy it was, up to its
/// maximum: accelerators by their busy time, CPU cores by the core-seconds the input pipelines used, drives by
/// the dataset's reads over their bandwidth. Servers, NICs, NVMe-oF target servers, the appliance and switch
/// ports draw a constant power (their load-dependence is small and unpublished). Checkpoint writes are not
/// counted in the drives' power. The facility's overhead is the PUE.
/// Cost: rented (device-hours, plus remote storage per GB-month) or bought (the cluster's purchase price
/// amortised straight-line over its service life, plus energy at the facility's price).
#include "config/scenario.hpp"

#include <string>
#include <vector>

namespace dtsim::report {

struct RunResult;
struct Utilisation;

/// @brief IT energy of one kind of part over the run, before the PUE.
struct EnergyPart {
  std::string part;
  double kwh = 0;
};

/// @brief One component of the run's cost.
struct CostPart {
  std::string part; ///< "amortisation", "energy", "device-hours", "remote storage"
  double usd = 0;
};

/// Energy of every part over `elapsed` s of `run`, in a fixed order; parts that draw nothing are left out.
std::vector<EnergyPart> energy_parts(const config::Scenario& scenario, const RunResult& run,
                                     const Utilisation& utilisation, double elapsed);

/// The run's cost under the scenario's cost model (empty for none), given its duration and facility energy.
std::vector<CostPart> run_cost(const config::Scenario& scenario, double devices, double elapsed, double energy_kwh);

} // namespace dtsim::report
