import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Ends brig with a status, at once. Throwing ArgumentParser's `ExitCode` would do the same after building its
/// help and message machinery (reflection over the command tree) to print nothing: ~1 ms of every `brig run`
/// and client command. Output is written unbuffered (`StandardStream`), so nothing is left to flush.
enum ProcessExit {
    static func now(_ status: Int32) -> Never {
        Glibc.exit(status)
    }
}
