import Ingest
import Testing

@Suite("CSV tables")
struct CSVTableTests {
    @Test func parsesQuotesCRLFAndBOM() throws {
        let text = "\u{FEFF}name,\"x, y\",value\r\n\"a \"\"quoted\"\" run\",1,2.5\r\nplain,\"multi\nline\",3\r\n"
        let table = try CSVTable(text: text, file: "t.csv")
        #expect(table.header == ["name", "x, y", "value"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0].fields == ["a \"quoted\" run", "1", "2.5"])
        #expect(table.rows[1].fields[1] == "multi\nline")
        #expect(table.rows[1].line == 3)
        #expect(try table.numbers("VALUE") == [2.5, 3])
    }

    @Test func errorsNameFileLineAndColumn() throws {
        #expect(throws: ImportError.malformed(file: "t.csv", line: 3, reason: "2 fields, but the header has 3")) {
            try CSVTable(text: "a,b,c\n1,2,3\n4,5\n", file: "t.csv")
        }
        let table = try CSVTable(text: "c,r\n1e5,0.3\n2e5,abc\n", file: "t.csv")
        #expect(
            throws: ImportError.malformed(
                file: "t.csv", line: 3, reason: "column \"r\" is not a number (found \"abc\")")
        ) {
            try table.numbers("r")
        }
        #expect(throws: ImportError.missingColumn(file: "t.csv", column: "loss", available: ["c", "r"])) {
            try table.numbers("loss")
        }
        #expect(throws: ImportError.self) { try CSVTable(text: "a,\"b\n", file: "t.csv") }
        #expect(throws: ImportError.self) { try CSVTable(text: "", file: "t.csv") }
        let missing = ImportError.unreadable(file: "x.csv", reason: "no such file")
        #expect(missing.isMissingFile)
        #expect(String(describing: ImportError.malformed(file: "f.csv", line: 7, reason: "bad")) == "f.csv:7: bad")
        #expect(throws: ImportError.unreadable(file: "/nonexistent/x.csv", reason: "no such file")) {
            try CSVTable(contentsOf: "/nonexistent/x.csv")
        }
    }
}
