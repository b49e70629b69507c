public import Domain
import GRDB

extension Store {
    /// Saves a fit (one transaction) and returns it with its id.
    /// - Throws: ``StoreError/invalidValue(path:detail:)`` when the fit breaks an invariant.
    @discardableResult
    public func insert(_ fit: Fit) throws(StoreError) -> Fit {
        do throws(DomainError) { try fit.validate() } catch {
            throw .invalidValue(path: path, detail: "fit of \(fit.family): \(error)")
        }
        return try write { db in
            var record = FitRecord(fit)
            record.id = nil
            try record.insert(db)
            return try record.fit()
        }
    }

    /// Stored fits, newest first, optionally of one kind, metric and difficulty.
    public func fits(kind: FitKind? = nil, metric: MetricName? = nil, difficulty: String? = nil) throws(StoreError)
        -> [Fit]
    {
        try read { db in
            var request = FitRecord.all()
            if let kind { request = request.filter(FitRecord.Columns.kind == kind.rawValue) }
            if let metric { request = request.filter(FitRecord.Columns.metric == metric.rawValue) }
            if let difficulty { request = request.filter(FitRecord.Columns.difficulty == difficulty) }
            return try request.order(FitRecord.Columns.id.desc).fetchAll(db).map { try $0.fit() }
        }
    }

    /// The newest fit for a metric and difficulty (and family, when given), as the planner looks it
    /// up; a `nil` difficulty finds only fits of runs without one (mixed or unlabelled), never
    /// another difficulty's.
    public func latestFit(
        kind: FitKind = .frontier, metric: MetricName, difficulty: String?,
        family: FitFamily? = nil
    ) throws(StoreError) -> Fit? {
        try read { db in
            var request = FitRecord.filter(FitRecord.Columns.kind == kind.rawValue).filter(
                FitRecord.Columns.metric == metric.rawValue)
            if let family { request = request.filter(FitRecord.Columns.family == family.rawValue) }
            request =
                difficulty.map { request.filter(FitRecord.Columns.difficulty == $0) }
                ?? request.filter(FitRecord.Columns.difficulty == nil)
            return try request.order(FitRecord.Columns.id.desc).fetchOne(db)?.fit()
        }
    }
}
