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
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
