import Foundation
import Testing
@testable import Catalog

/// One variable read from the environment agrees with Foundation's copy of all of them (no test sets a
/// variable: setenv races with every other thread's getenv in this process), and the executable with /proc.
@Suite struct ProcessEnvironmentTests {
    @Test func aSetVariableReadsAsFoundationSeesItAndAnUnsetOneAsNil() throws {
        let everything = ProcessInfo.processInfo.environment
        let path = try #require(everything["PATH"])
        #expect(ProcessEnvironment.value(of: "PATH") == path)
        #expect(everything["BRIG_NO_SUCH_VARIABLE_7f3a"] == nil)
        #expect(ProcessEnvironment.value(of: "BRIG_NO_SUCH_VARIABLE_7f3a") == nil)
        for (name, value) in everything where !name.isEmpty {
            #expect(ProcessEnvironment.value(of: name) == (value.isEmpty ? nil : value), "\(name)")
        }
    }

    @Test func theExecutableIsTheOneProcSelfExeNames() throws {
        let expected = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        #expect(ProcessEnvironment.executable == expected)
        #expect(ProcessEnvironment.executable?.hasPrefix("/") == true)
    }
}
