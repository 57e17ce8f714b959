import CSandbox
#if canImport(Glibc)
import Glibc
#endif

extension SandboxRun {
    /// The hot path of a warm sandbox: hand the request over, then supervise as a cold run does.
    func executeWarm(_ warm: WarmSandbox) -> SandboxResult {
        let clock = ContinuousClock()
        let started = clock.now
        warm.markUsed()
        // A program that died early makes this fail (EPIPE): its report tells the supervision why.
        _ = warm.request.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(warm.requestFD, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                offset += written
            }
            return offset
        }
        close(warm.requestFD)
        warm.requestFD = -1
        onStart?()
        let result = supervise(launch: warm.launch, channels: &warm.channels, clock: clock, started: started, warm: true)
        warm.reaped = warm.channels.initReaped
        warm.channels.closeAll()
        return result
    }
}

extension WarmSandbox {
    /// Lays `spec`'s working directory, argv and environment out as a `brig_request_header` and its strings, in
    /// the reused buffer. False when it does not fit what the program can take (the caller launches cold).
    func encodeRequest(_ spec: SandboxSpec) -> Bool {
        request.removeAll(keepingCapacity: true)
        let header = MemoryLayout<brig_request_header>.size
        request.append(contentsOf: repeatElement(0, count: header))
        func add(_ string: String) {
            request.append(contentsOf: string.utf8)
            request.append(0)
        }
        add(spec.workingDirectory)
        for argument in spec.command { add(argument) }
        for (key, value) in spec.environment.sorted(by: { $0.key < $1.key }) {
            request.append(contentsOf: key.utf8)
            request.append(UInt8(ascii: "="))
            add(value)
        }
        let length = request.count - header
        let strings = spec.command.count + spec.environment.count
        guard length <= Int(BRIG_REQUEST_MAX_BYTES), strings <= Int(BRIG_REQUEST_MAX_STRINGS) else { return false }
        var fields = brig_request_header(
            length: UInt32(length), argc: UInt32(spec.command.count), envc: UInt32(spec.environment.count), reserved: 0)
        withUnsafeBytes(of: &fields) { bytes in
            request.withUnsafeMutableBytes { $0.copyMemory(from: bytes) }
        }
        return true
    }
}
