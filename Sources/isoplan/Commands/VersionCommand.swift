import ArgumentParser
import NumericCore

/// Prints the isoplan version and the BLAS library it runs on.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Show the isoplan version and the OpenBLAS build and core in use.",
        discussion: "The OpenBLAS core name tells which CPU kernels run the numerics (set at load time).")

    @OptionGroup var global: GlobalOptions

    struct Report: Codable {
        struct BLAS: Codable {
            var configuration: String
            var coreName: String
            var threads: Int
        }
        var isoplan: String
        var openblas: BLAS
    }

    func run() throws {
        let report = Report(
            isoplan: Isoplan.version,
            openblas: .init(
                configuration: BLASConfiguration.configuration, coreName: BLASConfiguration.coreName,
                threads: BLASConfiguration.threadCount))
        try global.render(report) { format in
            keyValueTable(
                [
                    ("isoplan", report.isoplan),
                    ("openblas", report.openblas.configuration),
                    ("core", report.openblas.coreName),
                    ("threads", String(report.openblas.threads)),
                ], format: format)
        }
    }
}
