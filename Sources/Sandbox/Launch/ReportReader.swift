import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// Reassembles the child's fixed-size `brig_report` messages from the report pipe.
struct ReportReader {
    private var buffer: [UInt8] = []
    private var messages: [brig_report] = []

    /// Reads what is there; false at end of file.
    mutating func read(from fd: Int32) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * MemoryLayout<brig_report>.size)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { break }
            parse()
            return false
        }
        parse()
        return true
    }

    mutating func take() -> [brig_report] {
        defer { messages.removeAll() }
        return messages
    }

    private mutating func parse() {
        let size = MemoryLayout<brig_report>.size
        while buffer.count >= size {
            let message = buffer.withUnsafeBytes { $0.loadUnaligned(as: brig_report.self) }
            messages.append(message)
            buffer.removeFirst(size)
        }
    }
}
