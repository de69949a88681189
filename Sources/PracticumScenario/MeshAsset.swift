import Foundation
import PracticumCore
#if canImport(Glibc)
import Glibc
#endif

/// Why a mesh asset could not be used. Messages name the asset as the scenario wrote it and never
/// quote the file's content.
public enum MeshAssetError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case notARegularFile(path: String)
    case tooLarge(path: String, bytes: Int)
    case malformed(path: String, OBJModel.ParseError)
    public var description: String {
        switch self {
        case let .unreadable(path): "cannot read mesh file '\(path.quotedForMessage())'"
        case let .notARegularFile(path): "mesh file '\(path.quotedForMessage())' is not a regular file (a folder, device or pipe)"
        case let .tooLarge(path, bytes): "mesh file '\(path.quotedForMessage())' is \(bytes) bytes; meshes are limited to \(Limits.meshBytes) bytes"
        case let .malformed(path, e): "mesh file '\(path.quotedForMessage())', \(e)"
        }
    }
}

/// Reads and parses an OBJ mesh asset at `path` (already resolved and confined by the loader); `name`
/// is how messages call it. The loader reads every mesh of a scenario with it once, into
/// `Scene.meshes`, which the session and the viewer use. Only regular files up to
/// `Limits.meshBytes` are read, so a FIFO or device cannot block or flood the loader.
public func loadMeshAsset(path: String, name: String? = nil) throws(MeshAssetError) -> OBJModel {
    let shown = name ?? path
    switch regularFileSize(path) {
    case nil: throw .unreadable(path: shown)
    case let .some(size):
        guard size >= 0 else { throw .notARegularFile(path: shown) }
        guard size <= Limits.meshBytes else { throw .tooLarge(path: shown, bytes: size) }
    }
    guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: shown) }
    guard data.count <= Limits.meshBytes else { throw .tooLarge(path: shown, bytes: data.count) }
    do { return try OBJModel.parse(String(decoding: data, as: UTF8.self)) } catch { throw .malformed(path: shown, error) }
}

/// The size of the regular file at `path` (following symlinks), -1 for anything else that exists
/// (folders, FIFOs, devices, sockets), nil if it cannot be examined.
package func regularFileSize(_ path: String) -> Int? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : -1
}

/// The canonical absolute path of `path` with every symlink resolved, or nil if it does not exist.
package func canonicalPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
}
