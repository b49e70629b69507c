extension String {
    /// The text on one line: line breaks, tabs and other control characters written as escapes
    /// (`\n`, `\t`, `\u{1B}`), so an error quoting what a user's file holds stays one line.
    public var escapingControlCharacters: String {
        guard
            unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isNewlineLike })
        else {
            return self
        }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.properties.generalCategory == .control || scalar.properties.isNewlineLike:
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension Unicode.Scalar.Properties {
    /// Line and paragraph separators, which end a line without being control characters.
    fileprivate var isNewlineLike: Bool { generalCategory == .lineSeparator || generalCategory == .paragraphSeparator }
}
