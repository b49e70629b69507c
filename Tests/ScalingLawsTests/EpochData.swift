import Foundation
import NumericCore
import ScalingLaws

/// Epoch AI's points extracted from Hoffmann et al. Fig. 4 (see Golden/README.md).
enum EpochData {
    /// The 240 points of Epoch's procedure: the 5 highest-loss points dropped, `D = FLOP/(6N)`,
    /// in the file's row order.
    static func chinchillaPoints() throws -> FitData {
        let url = try requireURL("epoch_chinchilla_svg_extracted_data")
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        var rows: [(n: Double, flop: Double, loss: Double)] = []
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            rows.append((Double(fields[3])!, Double(fields[4])!, Double(fields[6])!))
        }
        let cutoff = rows.map(\.loss).sorted(by: >)[4]
        let kept = rows.filter { $0.loss < cutoff }
        precondition(kept.count == 240, "expected 240 points, got \(kept.count)")
        let inputs = Matrix(rows: kept.count, columns: 2) { i, j in j == 0 ? kept[i].n : kept[i].flop / (6 * kept[i].n)
        }
        return try FitData(inputs: inputs, targets: kept.map(\.loss))
    }
}

private func requireURL(_ name: String) throws -> URL {
    guard let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Golden") else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Golden/\(name).csv"])
    }
    return url
}
