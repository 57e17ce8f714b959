import API
import Catalog
import Foundation
import Sandbox
import Store

extension SessionEngine {
    static let defaultTTL = Duration.seconds(3600)
    static let defaultIdleTTL = Duration.seconds(600)

    /// A session request resolved against the live catalog.
    struct Resolved {
        var profile: Profile
        var image: SandboxImage
        var defaults: SandboxLimits
        var maxSteps: Int
        var cpuBudget: Duration
        var ttl: Duration
        var idleTTL: Duration
    }

    func resolve(_ request: SessionRequest) throws(APIError) -> Resolved {
        let state = jobs.catalog.withLock { $0 }
        let profileName = request.profile ?? "default"
        guard let profile = state.profiles[profileName] else {
            throw APIError("unknown_profile", "no profile named \(profileName.debugDescription); available: \(state.profiles.keys.sorted().joined(separator: ", "))", field: "profile")
        }
        let imageName = request.image ?? "host"
        guard let image = state.images[imageName] else {
            throw APIError("unknown_image", "no image named \(imageName.debugDescription); available: \(state.images.keys.sorted().joined(separator: ", "))", field: "image")
        }
        let defaults = try Self.limits(profile, request.limits)
        let ttl = try Self.duration(request.ttl, field: "ttl") ?? Self.defaultTTL
        let idleTTL = try Self.duration(request.idleTTL, field: "idle_ttl") ?? Self.defaultIdleTTL
        if ttl > configuration.maxTTL {
            throw APIError("invalid_ttl", "a session lives at most \(DurationText(configuration.maxTTL))", field: "ttl")
        }
        return Resolved(
            profile: profile, image: image, defaults: defaults, maxSteps: configuration.maxSteps,
            cpuBudget: max(configuration.cpuTime, profile.maxima.cpuTime), ttl: ttl, idleTTL: min(idleTTL, ttl))
    }

    /// The profile's limits with `requested` applied, each within the profile's maxima.
    static func limits(_ profile: Profile, _ requested: RequestedLimits?) throws(APIError) -> SandboxLimits {
        let overrides = try JobEngine.overrides(from: requested)
        do {
            return try profile.limits(applying: overrides)
        } catch {
            throw APIError("invalid_limits", error.reason, field: error.key.map { "limits.\($0)" } ?? "limits")
        }
    }

    static func duration(_ text: String?, field: String) throws(APIError) -> Duration? {
        guard let text else { return nil }
        do {
            let duration = try DurationText(parsing: text).duration
            guard duration > .zero else { throw APIError("invalid_\(field)", "\(field) must be more than 0", field: field) }
            return duration
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError("invalid_\(field)", "\(text.debugDescription) is not a duration such as \"30s\" or \"10m\"", field: field)
        }
    }

    // MARK: SessionService: sessions

    public func createSession(_ request: SessionRequest, peer: Peer) async throws(APIError) -> SessionView {
        if stopping.load(ordering: .relaxed) || jobs.draining.load(ordering: .relaxed) {
            throw APIError("draining", "brig is shutting down and takes no new sessions", httpStatus: 503, retryAfter: 5)
        }
        let resolved = try resolve(request)
        let files = try JobEngine.decodeFiles(request.files ?? [], field: "files")
        let total = files.reduce(0) { $0 + $1.bytes.count }
        if UInt64(total) > resolved.profile.limits.workspaceBytes {
            throw APIError("too_large", "the files hold \(total) bytes; the workspace holds \(ByteSize(bytes: resolved.profile.limits.workspaceBytes))", field: "files", httpStatus: 413)
        }
        if live.withLock({ $0.count }) >= configuration.maxSessions {
            throw APIError("too_many_sessions", "brig holds \(configuration.maxSessions) sessions at most; end one or try later", httpStatus: 429, retryAfter: 5)
        }
        let id = Self.newID(prefix: "s_")
        let now = Date()
        let path = "\(configuration.directory)/\(id)"
        let lease: SlotLease
        let workspace: Workspace
        let network: NetworkNamespace
        do {
            lease = try launcher.leaseSessionSlot()
            do {
                workspace = try Workspace.create(at: path, sizeBytes: resolved.profile.limits.workspaceBytes, owner: lease.identity)
            } catch {
                lease.release()
                throw error
            }
            do {
                network = try NetworkNamespace()
                for file in files { try workspace.writeFile(file.path, file.bytes) }
            } catch {
                try? workspace.remove()
                lease.release()
                throw error
            }
        } catch {
            throw APIError("sandbox_failed", "cannot prepare the session: \(error)", httpStatus: 503, retryAfter: 1)
        }
        let caps = SessionCaps(
            maxSteps: resolved.maxSteps, cpuTime: DurationText(resolved.cpuBudget).description,
            workspace: ByteSize(bytes: resolved.profile.limits.workspaceBytes).description)
        let record: SessionRecord
        do {
            record = try store.insertSession(SessionRecord(
                id: id, owner: peer.uid, image: resolved.image.name, profile: resolved.profile.name,
                request: try JSONEncoder().encode(request), slot: lease.identity.sessionSlot ?? 0, workspace: path,
                createdAt: now, lastUsedAt: now, expiresAt: now.addingTimeInterval(JobEngine.seconds(resolved.ttl)),
                idleSeconds: JobEngine.seconds(resolved.idleTTL), caps: try JSONEncoder().encode(caps)))
        } catch {
            try? workspace.remove()
            lease.release()
            throw APIError("store_failed", "cannot store the session: \(error)", httpStatus: 503, retryAfter: 5)
        }
        let session = LiveSession(
            id: id, owner: peer.uid, lease: lease, workspace: workspace, network: network, profile: resolved.profile,
            image: resolved.image, defaults: resolved.defaults, maxSteps: resolved.maxSteps,
            cpuBudget: resolved.cpuBudget, expiresAt: record.expiresAt, idleSeconds: record.idleSeconds)
        live.withLock { $0[id] = session }
        updateGauge()
        logger.info("session created", metadata: ["session.id": "\(id)", "owner": "\(peer.uid)", "profile": "\(resolved.profile.name)"])
        return view(of: record)
    }

    public func session(_ id: String, peer: Peer) async throws(APIError) -> SessionView {
        view(of: try visibleSession(id, peer: peer))
    }

    public func sessions(_ query: SessionQuery, peer: Peer) async throws(APIError) -> SessionPage {
        let (limit, before) = try JobEngine.page(limit: query.limit, after: query.after)
        do {
            let records = try store.listSessions(
                owner: peer.isOperator ? nil : peer.uid, state: query.state?.rawValue, limit: limit, beforeSequence: before)
            let next = records.count == limit ? records.last?.sequence.map(String.init) : nil
            return SessionPage(sessions: records.map(view(of:)), next: next)
        } catch {
            throw APIError("store_failed", "cannot list sessions: \(error)", httpStatus: 503, retryAfter: 1)
        }
    }

    public func endSession(_ id: String, peer: Peer) async throws(APIError) -> SessionView {
        let record = try visibleSession(id, peer: peer)
        if let session = live.withLock({ $0[id] }) {
            await Self.onThread("brig-session-end") { [self] in end(session, state: .ended, reason: "deleted") }
        }
        return view(of: try visibleSession(record.id, peer: peer))
    }
}
