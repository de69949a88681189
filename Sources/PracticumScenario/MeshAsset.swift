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
    case malformedGLTF(path: String, GLTFError)
    public var description: String {
        switch self {
        case let .unreadable(path): "cannot read mesh file '\(path.quotedForMessage())'"
        case let .notARegularFile(path): "mesh file '\(path.quotedForMessage())' is not a regular file (a folder, device or pipe)"
        case let .tooLarge(path, bytes): "mesh file '\(path.quotedForMessage())' is \(bytes) bytes; meshes are limited to \(Limits.meshBytes) bytes"
        case let .malformed(path, e): "mesh file '\(path.quotedForMessage())', \(e)"
        case let .malformedGLTF(path, e): "mesh file '\(path.quotedForMessage())' cannot be read: \(e)"
        }
    }
}

/// Reads and parses a mesh asset at `path` (OBJ, or glTF 2.0 as `.gltf` or `.glb`) (already resolved and confined by the loader); `name`
/// is how messages call it. The loader reads every mesh of a scenario with it once, into
/// `Scene.meshes`, which the session and the viewer use. Only regular files up to
/// `Limits.meshBytes` are read, so a FIFO or device cannot block or flood the loader.
public func loadMeshAsset(path: String, name: String? = nil) throws(MeshAssetError) -> OBJModel {
    try loadMeshFile(path: path, name: name).model
}

/// As `loadMeshAsset`, with how a glTF file says it looks (colours, texture; empty for OBJ).
public func loadMeshFile(path: String, name: String? = nil) throws(MeshAssetError) -> (model: OBJModel, look: MeshLook) {
    let shown = name ?? path
    switch regularFileSize(path) {
    case nil: throw .unreadable(path: shown)
    case let .some(size):
        guard size >= 0 else { throw .notARegularFile(path: shown) }
        guard size <= Limits.meshBytes else { throw .tooLarge(path: shown, bytes: size) }
    }
    let data = try readMeshBytes(path, shown)
    let lower = path.lowercased()
    if lower.hasSuffix(".glb") || lower.hasSuffix(".gltf") {
        let folder = canonicalPath((path as NSString).deletingLastPathComponent) ?? ""
        do {
            let r = try GLTFReader.read([UInt8](data), binary: lower.hasSuffix(".glb")) { uri throws(GLTFError) in
                try gltfBuffer(uri, folder: folder, of: shown)
            }
            return (r.model, r.look)
        } catch { throw .malformedGLTF(path: shown, error) }
    }
    do { return (try OBJModel.parse(String(decoding: data, as: UTF8.self)), MeshLook()) } catch { throw .malformed(path: shown, error) }
}

/// The bytes of a regular file of at most `Limits.meshBytes`.
func readMeshBytes(_ path: String, _ shown: String) throws(MeshAssetError) -> Data {
    guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: shown) }
    guard data.count <= Limits.meshBytes else { throw .tooLarge(path: shown, bytes: data.count) }
    return data
}

/// A `.gltf`'s external buffer: a file named by a plain relative name in the same folder as the
/// `.gltf` (after resolving symlinks), so a file from anyone cannot make the loader read elsewhere.
func gltfBuffer(_ uri: String, folder: String, of shown: String) throws(GLTFError) -> [UInt8] {
    guard !uri.isEmpty, !uri.hasPrefix("/"), !uri.contains(".."), !uri.contains("\\"), !uri.contains(":"), !uri.contains("%") else {
        throw GLTFError("buffer '\(uri.quotedForMessage())' must be a file beside the .gltf, named without folders going up or out")
    }
    let full = folder + "/" + uri
    guard let real = canonicalPath(full), (real as NSString).deletingLastPathComponent == folder || real.hasPrefix(folder + "/") else {
        throw GLTFError("buffer '\(uri.quotedForMessage())' does not exist beside the .gltf, or leads out of its folder")
    }
    guard let size = regularFileSize(real), size >= 0, size <= Limits.meshBytes,
          let data = FileManager.default.contents(atPath: real) else {
        throw GLTFError("buffer '\(uri.quotedForMessage())' is not a readable regular file of at most \(Limits.meshBytes) bytes")
    }
    return [UInt8](data)
}

/// The size of the regular file at `path` (following symlinks), -1 for anything else that exists
/// (folders, FIFOs, devices, sockets), nil if it cannot be examined.
package func regularFileSize(_ path: String) -> Int? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : -1
}

/// The canonical absolute path of `path` with every symlink resolved, or nil if it does not exist.
/// `path` made absolute (against the working directory) with "." and ".." folded lexically; no
/// symlink is followed, so what it names is what the text says.
package func lexicallyNormalized(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var parts: [Substring] = []
    for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
        switch part {
        case ".": continue
        case "..": if !parts.isEmpty { parts.removeLast() }
        default: parts.append(part)
        }
    }
    return "/" + parts.joined(separator: "/")
}

package func canonicalPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
}

/// How a mesh asset looks beyond its shape, as a glTF file gives it (an OBJ file gives nothing):
/// one colour and one texture coordinate per position of its `OBJModel`.
public struct MeshLook: Sendable, Equatable {
    /// RGBA 0…1 per position: its primitive's base colour times its COLOR_0. Empty for OBJ.
    public var colors: [SIMD4<Float>] = []
    /// Texture coordinate per position (u, v, w): w is 1 where the vertex samples `texture`, 0 where
    /// it does not. Empty for OBJ.
    public var uvs: [SIMD3<Float>] = []
    /// The base-colour texture (the first a primitive names), decoded.
    public var texture: MeshTexture?
    /// The base colour of the first material that gives one: the body's colour unless it sets `color`.
    public var baseColor: [Double]?
    /// False when every primitive's material is single-sided (glTF's default, `doubleSided: false`):
    /// the viewer may skip the faces turned away from the eye. True for OBJ, which cannot say.
    public var doubleSided = true
    public init() {}
    /// True when its vertices differ in colour or it has a texture: then the viewer draws them, not one colour.
    public var isMulticolored: Bool {
        texture != nil || colors.contains { $0 != colors.first }
    }
}

/// A decoded texture image: `width` × `height` RGBA8 pixels, rows from the top.
public struct MeshTexture: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var rgba: [UInt8]
}
