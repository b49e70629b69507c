public import Domain
import Foundation
import Ingest
import NumericCore
public import Planner
import RLSim
import Report
public import RunStore
import ScalingLaws

/// `isoplan report`: the pictures people plan with, from the store — per-n reward curves and the
/// frontier, n*(C) with its band, fixed-batch laws, B_p-vs-n sensitivity, per-problem pass@1
/// over training, and (given solve rates) pass@k and test-time accuracy vs budget — as one
/// self-contained HTML file or as Markdown with SVG files beside it.
public struct ReportRequest: Sendable {
    public enum Format: String, Sendable, Codable {
        case html
        case markdown
    }

    /// The runs the training sections are about.
    public var filter: RunFilter
    public var outputPath: String
    public var format: Format = .html
    public var title = "IsoPlan report"
    /// Test-time sizing to chart (its population should be measured solve rates for the pass@k
    /// chart); `nil` leaves the test-time section out.
    public var testTime: TestTimePlanRequest?
    /// Who made the report (program and version), for the provenance section.
    public var generator = "isoplan"
    /// Bootstrap resamples of frontier analyses the report computes itself (no stored fit).
    public var bootstrapResamples = 200
    public var workers: Int?
    /// Extra provenance lines from the caller (a demo's sweep, a bundled fixture).
    public var provenance: [String] = []

    public init(filter: RunFilter, outputPath: String) {
        self.filter = filter
        self.outputPath = outputPath
    }
}

/// What `isoplan report` wrote.
public struct ReportSummary: Codable, Sendable {
    public var path: String
    public var format: String
    /// Files written besides the report (Markdown's SVG charts).
    public var chartFiles: [String]
    /// Chart ids, in order.
    public var charts: [String]
    public var runs: Int
    /// Frontier analyses shown: the stored fit's id, or `nil` when the report computed it.
    public var frontierFits: [Int64?]
    public var bytes: Int
    /// Sections left out and why.
    public var notes: [String]
    /// The test-time sizing the report charted, when it had one.
    public var testTimePlan: TestTimePlan?
}

public enum ReportWorkflow {
    public static func run(_ request: ReportRequest, store: Store, progress: any ProgressReporter = SilentProgress())
        throws(WorkflowError) -> ReportSummary
    {
        do {
            // Everything the report shows comes from one snapshot of the store (writers go on).
            let builder = try store.snapshot {
                var builder = try ReportBuilder(request: request, store: store, progress: progress)
                try builder.build()
                return builder
            }
            return try write(builder.document, request: request, summary: builder.summary)
        } catch {
            throw WorkflowError(error)
        }
    }

    /// Writes the report (charts first for Markdown, so the file never points at missing SVGs);
    /// each file is written atomically.
    static func write(_ document: ReportDocument, request: ReportRequest, summary: ReportSummary) throws
        -> ReportSummary
    {
        var summary = summary
        let url = URL(fileURLWithPath: request.outputPath)
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text: String
        switch request.format {
        case .html:
            text = HTMLReport.render(document)
        case .markdown:
            let chartDirectory = url.deletingPathExtension().lastPathComponent + "-charts"
            let output = MarkdownReport.render(document, chartDirectory: chartDirectory)
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(chartDirectory), withIntermediateDirectories: true)
            for file in output.files {
                let path = directory.appendingPathComponent(file.path).path
                try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
                summary.chartFiles.append(path)
            }
            text = output.markdown
        }
        do {
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw WorkflowError.empty("cannot write the report \(request.outputPath): \(error.localizedDescription)")
        }
        summary.path = request.outputPath
        summary.bytes = text.utf8.count
        return summary
    }
}
