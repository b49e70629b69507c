public import Testing

/// Records an issue unless `|actual − expected| ≤ max(absolute, relative·|expected|)`, reporting
/// the observed error so a failure says how far off it was.
///
/// Each call site states why its tolerance is what it is (BLAS rounding, Monte Carlo error, …).
public func expectClose(
    _ actual: Double, _ expected: Double, relative: Double = 0, absolute: Double = 0,
    _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = abs(actual - expected)
    let bound = max(absolute, relative * abs(expected))
    if !(error <= bound) {
        let note = comment()
        Issue.record(
            "\(actual) is not within \(bound) of \(expected) (error \(error), relative \(error / max(abs(expected), .leastNormalMagnitude)))\(note.isEmpty ? "" : ": \(note)")",
            sourceLocation: sourceLocation)
    }
}

/// `expectClose` element-wise over two arrays of equal length.
public func expectClose(
    _ actual: [Double], _ expected: [Double], relative: Double = 0, absolute: Double = 0,
    _ comment: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("counts differ: \(actual.count) vs \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        expectClose(
            a, e, relative: relative, absolute: absolute, "element \(index) \(comment())",
            sourceLocation: sourceLocation)
    }
}
