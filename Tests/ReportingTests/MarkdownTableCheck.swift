/// Checks that Markdown tables render: every row of a table has as many cell separators
/// as its header.
enum MarkdownTableCheck {
    /// Unescaped `|` in a line: a pipe preceded by an even number of backslashes.
    static func separators(in line: String) -> Int {
        var count = 0, backslashes = 0
        for c in line {
            if c == "|" && backslashes % 2 == 0 { count += 1 }
            backslashes = c == "\\" ? backslashes + 1 : 0
        }
        return count
    }

    /// The tables of a document: runs of consecutive lines that start with `|`.
    static func tables(_ markdown: String) -> [[String]] {
        var tables: [[String]] = [], current: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("|") { current.append(line) } else if !current.isEmpty { tables.append(current); current = [] }
        }
        if !current.isEmpty { tables.append(current) }
        return tables
    }

    /// Rows whose separator count differs from their table's header, as readable strings.
    static func badRows(_ markdown: String) -> [String] {
        tables(markdown).flatMap { table -> [String] in
            let n = separators(in: table[0])
            return table.filter { separators(in: $0) != n }.map { "\(separators(in: $0)) separators, header has \(n): \($0)" }
        }
    }
}
