#if canImport(Glibc)
import Glibc
#endif

/// Who counts as an operator: uid 0, a configured uid, or a member (primary or supplementary group) of a
/// configured group.
struct OperatorPolicy: Sendable {
    let uids: Set<UInt32>
    let gids: Set<UInt32>

    func isOperator(uid: UInt32, gid: UInt32) -> Bool {
        if uid == 0 || uids.contains(uid) || gids.contains(gid) {
            return true
        }
        guard !gids.isEmpty else { return false }
        return !gids.isDisjoint(with: Self.groups(ofUser: uid, primary: gid))
    }

    /// The user's supplementary groups from the group database (SO_PEERCRED carries only the primary gid).
    static func groups(ofUser uid: UInt32, primary gid: UInt32) -> [UInt32] {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &found) == 0, found != nil, let name = entry.pw_name
        else { return [] }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid, &groups, &count) == -1 {
            groups = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(name, gid, &groups, &count) != -1 else { return [] }
        }
        return Array(groups.prefix(Int(count)))
    }
}
