import Catalog
import Foundation
import Glibc
import Sandbox

/// Drops the daemon's start-up code from its resident set. brig's executable has ~26 MiB of machine code, and
/// the kernel's fault-around maps up to 64 KiB of it around every first touch, so the code start-up runs once
/// (argument parsing, the catalog's TOML, migrations, NIO's set-up) left ~28 MiB of the text mapped into an idle
/// daemon, two thirds of its RSS. `MADV_DONTNEED` unmaps it once the daemon serves: the pages stay in the page
/// cache (shared with every other brig process) and the code the daemon goes on running is mapped again as it
/// runs, at the cost of a few hundred minor faults on the first jobs.
public enum ExecutableCodeResidency {
    /// Applies to the executable's read-only, executable, private mappings: a file mapping that was never
    /// written loses nothing to `MADV_DONTNEED`, its pages come back from the file on the next touch.
    /// Returns the bytes of mappings unmapped; 0 when none was found or the kernel refused.
    @discardableResult
    public static func trim() -> Int {
        guard let executable = ProcessEnvironment.executable,
              let regions = MemoryRegion.current()
        else { return 0 }
        var advised = 0
        for region in regions
        where region.readable && !region.writable && region.executable && region.isPrivate && region.name == executable {
            let length = Int(region.end - region.start)
            guard let address = UnsafeMutableRawPointer(bitPattern: region.start),
                  madvise(address, length, MADV_DONTNEED) == 0
            else { continue }
            advised += length
        }
        return advised
    }
}
