import Foundation
import PracticumCore

/// Why a mesh asset could not be used.
public enum MeshAssetError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case malformed(path: String, OBJModel.ParseError)
    public var description: String {
        switch self {
        case let .unreadable(path): "cannot read mesh file '\(path)'"
        case let .malformed(path, e): "mesh file '\(path)', \(e)"
        }
    }
}

/// Reads and parses an OBJ mesh asset. The loader reads every mesh of a scenario with it once, into
/// `Scene.meshes`, which the session and the viewer use.
public func loadMeshAsset(path: String) throws(MeshAssetError) -> OBJModel {
    guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
    do { return try OBJModel.parse(String(decoding: data, as: UTF8.self)) } catch { throw .malformed(path: path, error) }
}
