import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file that could not be written, with the system's reason in words ("No space left on device").
public struct OutputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

/// Writes results so that a failure loses nothing: the bytes go to a temporary file beside the
/// target, are flushed to disk, and only then renamed over the final name. A full disk, a file-size
/// limit or a missing permission leaves no partial file under the final name (and any earlier
/// file there untouched). With `replace: false` an existing file is never replaced, even by a
/// writer racing this one: the finished file is linked to its name, which fails if it is taken.
public enum OutputFile {
    /// Writes `bytes` to `path` atomically; with `replace: false`, fails if `path` exists.
    public static func write(_ bytes: [UInt8], to path: String, replace: Bool = true) throws(OutputError) {
        try self.replace(path, replacing: replace) { (fd: Int32) throws(OutputError) in
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw OutputError(path: path, reason: systemReason())
                }
                done += n
            }
        }
    }

    /// Writes `text` (UTF-8) to `path` atomically; with `replace: false`, fails if `path` exists.
    public static func write(_ text: String, to path: String, replace: Bool = true) throws(OutputError) {
        try write(Array(text.utf8), to: path, replace: replace)
    }

    /// A temporary path beside `path` for a writer that streams (rename it with `commit`).
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
    }

    /// Moves a finished temporary file onto its final name; with `replace: false`, fails (and
    /// removes the temporary file) if the name is taken.
    public static func commit(_ temporary: String, to path: String, replace: Bool = true) throws(OutputError) {
        if !replace {
            let linked = link(temporary, path) == 0
            let reason = linked ? "" : (errno == EEXIST ? "the file exists (not replaced)" : systemReason())
            unlink(temporary)
            guard linked else { throw OutputError(path: path, reason: reason) }
            return
        }
        guard rename(temporary, path) == 0 else {
            let reason = systemReason()
            unlink(temporary)
            throw OutputError(path: path, reason: reason)
        }
    }

    /// Creates the temporary file, lets `fill` write it, syncs, closes and renames it; removes it on any failure.
    static func replace(_ path: String, replacing: Bool = true, _ fill: (Int32) throws(OutputError) -> Void) throws(OutputError) {
        let temp = temporaryPath(for: path)
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(path: path, reason: systemReason()) }
        do throws(OutputError) {
            try fill(fd)
            guard fsync(fd) == 0 else { throw OutputError(path: path, reason: systemReason()) }
        } catch {
            close(fd); unlink(temp)
            throw error
        }
        guard close(fd) == 0 else { let r = systemReason(); unlink(temp); throw OutputError(path: path, reason: r) }
        try commit(temp, to: path, replace: replacing)
    }

    static func systemReason() -> String { String(cString: strerror(errno)) }
}
