public import ArgumentParser
import Domain
import Planner

// Closed options parsed straight into Planner and Domain values, so `--help` lists their values and
// a bad one exits 64. Module-qualified names mark the conformances as deliberate: these modules
// must not depend on ArgumentParser.

extension Planner.CostUnit: ArgumentParser.ExpressibleByArgument {}

extension Planner.SearchSpace.Selections: ArgumentParser.ExpressibleByArgument {}

extension Domain.PriorSelection: ArgumentParser.ExpressibleByArgument {}
