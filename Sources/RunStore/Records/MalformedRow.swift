/// A stored row a record cannot turn into its Domain value; the store reports it as
/// ``StoreError/malformedRow(path:table:row:detail:)``.
struct MalformedRow: Error {
    var table: String
    var row: Int64?
    var detail: String
}
