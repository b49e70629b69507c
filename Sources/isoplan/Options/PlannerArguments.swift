public import ArgumentParser
import Domain

// Closed options parsed straight into Domain values, so `--help` lists their values and
// a bad one exits 64. Module-qualified names mark the conformances as deliberate: these modules
// must not depend on ArgumentParser.

extension Domain.PriorSelection: ArgumentParser.ExpressibleByArgument {}
