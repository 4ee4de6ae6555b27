import Foundation
import Synchronization

/// Where `--audit-log` sends audit events as JSON lines: standard output, standard error or an
/// appended file (for a SIEM's log shipper).
enum AuditLogSink {
    static func make(_ target: String?) throws -> (@Sendable (String) -> Void)? {
        guard let target, target != "off", !target.isEmpty else { return nil }
        let handle: FileHandle
        switch target {
        case "stdout": handle = .standardOutput
        case "stderr": handle = .standardError
        default:
            if !FileManager.default.fileExists(atPath: target) {
                guard FileManager.default.createFile(atPath: target, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw CLIError("cannot create audit log '\(target)'")
                }
            }
            guard let file = FileHandle(forWritingAtPath: target) else { throw CLIError("cannot write audit log '\(target)'") }
            file.seekToEndOfFile()
            handle = file
        }
        let writer = Mutex(handle)
        return { line in writer.withLock { $0.write(Data((line + "\n").utf8)) } }
    }
}
