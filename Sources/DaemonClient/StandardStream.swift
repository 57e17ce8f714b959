import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// stdout or stderr of the client, written unbuffered with write(2) so a program's output and brig's own
/// lines reach the terminal in the order they happened.
package enum StandardStream {
    case output
    case error

    package var fd: Int32 { self == .output ? STDOUT_FILENO : STDERR_FILENO }

    package var isTerminal: Bool { isatty(fd) == 1 }

    package func write(_ text: String) {
        write(Array(text.utf8))
    }

    package func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    package func write(_ buffer: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            if written <= 0 {
                if written < 0 && errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
