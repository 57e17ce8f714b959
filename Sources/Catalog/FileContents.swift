#if canImport(Glibc)
import Glibc
#endif

/// Everything left to read from a file descriptor (a file, a pipe, stdin), read with read(2): for the catalog's
/// files and the command line's inputs, without Foundation's FileManager or FileHandle.
public enum FileContents {
    /// Why reading stopped early: strerror's text for the errno read(2) gave.
    public struct ReadError: Error, CustomStringConvertible {
        public let errno: Int32
        public var description: String { String(cString: strerror(errno)) }
    }

    public static func readAll(_ fd: Int32) throws(ReadError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(errno: errno)
            }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// stdin to its end; nothing when it cannot be read (as for a terminal, callers read none).
    public static func standardInput() -> [UInt8] {
        (try? readAll(STDIN_FILENO)) ?? []
    }
}
