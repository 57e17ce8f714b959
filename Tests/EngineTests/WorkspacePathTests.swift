import API
@testable import Engine
import Testing

@Suite struct WorkspacePathTests {
    @Test(arguments: ["main.py", "src/lib/a.c", "a-b_c.d", ".hidden"])
    func acceptsRelativePaths(path: String) {
        #expect(WorkspacePath.problem(path) == nil)
    }

    @Test(arguments: ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a/.", "a\u{0}b", String(repeating: "x", count: 2000)])
    func refusesEscapesAndOddities(path: String) {
        #expect(WorkspacePath.problem(path) != nil)
    }
}
