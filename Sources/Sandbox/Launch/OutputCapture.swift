/// Keeps the first `cap` bytes of a stream and counts the rest, so a program writing gigabytes costs brig
/// no memory beyond the cap (the pipe is always drained, so the program never blocks on a full pipe).
struct OutputCapture {
    let cap: Int
    private(set) var bytes: [UInt8] = []
    private(set) var total = 0

    init(cap: Int) {
        self.cap = cap
        bytes.reserveCapacity(min(cap, 64 << 10))
    }

    var overflowed: Bool { total > cap }

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        total += chunk.count
        let room = cap - bytes.count
        if room > 0 { bytes.append(contentsOf: chunk.prefix(room)) }
    }

    var output: CapturedOutput { CapturedOutput(bytes: bytes, totalBytes: total) }
}
