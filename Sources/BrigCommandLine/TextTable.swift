/// Columns aligned with spaces, a header row in capitals; the last column is not padded.
package struct TextTable {
    package let headers: [String]
    package var rows: [[String]] = []

    package init(_ headers: String...) {
        self.init(headers)
    }

    package init(_ headers: [String]) {
        self.headers = headers
    }

    package mutating func append(_ row: [String]) {
        rows.append(row)
    }

    package var text: String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padded(to: widths[column])
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// Followed by spaces up to `width` characters (never cut): a table column's cell.
    package func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
