/// One line of /proc/self/maps: an address range, its protection and what is mapped there.
public struct MemoryRegion: Equatable, Sendable {
    public var start: UInt
    public var end: UInt
    public var readable: Bool
    public var writable: Bool
    public var executable: Bool
    public var isPrivate: Bool
    /// The inode of a mapped file; 0 for anonymous memory (and the kernel's special regions).
    public var inode: UInt
    /// The file's path, "[heap]", "[stack]", ... or empty.
    public var name: String

    var isAnonymousPrivate: Bool { isPrivate && inode == 0 && (name.isEmpty || name == "[heap]") }

    /// The calling process's regions, in address order; nil when /proc cannot be read.
    public static func current() -> [MemoryRegion]? {
        guard let bytes = KernelFile.readBytes("/proc/self/maps") else { return nil }
        return parse(bytes)
    }

    /// `start-end perms offset dev inode [name]` lines.
    static func parse(_ bytes: [UInt8]) -> [MemoryRegion] {
        var regions: [MemoryRegion] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count >= 5 else { continue }
            let range = fields[0].split(separator: UInt8(ascii: "-"))
            let perms = Array(fields[1])
            guard range.count == 2, perms.count == 4,
                  let start = UInt(String(decoding: range[0], as: UTF8.self), radix: 16),
                  let end = UInt(String(decoding: range[1], as: UTF8.self), radix: 16),
                  let inode = UInt(String(decoding: fields[4], as: UTF8.self))
            else { continue }
            let name = fields.count > 5
                ? String(decoding: fields[5].drop { $0 == UInt8(ascii: " ") }, as: UTF8.self) : ""
            regions.append(MemoryRegion(
                start: start, end: end, readable: perms[0] == UInt8(ascii: "r"), writable: perms[1] == UInt8(ascii: "w"),
                executable: perms[2] == UInt8(ascii: "x"), isPrivate: perms[3] == UInt8(ascii: "p"), inode: inode,
                name: name))
        }
        return regions
    }
}
