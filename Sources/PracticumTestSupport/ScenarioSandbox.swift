import Foundation

/// A scratch project for tests that write their own copies of scenarios: `root/scenarios/` to put
/// scenario folders in, and `root/assets` linked to the checkout's shared assets, so a copied
/// scenario's `../../assets/…` meshes resolve as they do in the checkout (or, with `copyingAssets`,
/// a copy of them, as in another checkout). Remove `root` when done.
public struct ScenarioSandbox {
    public let root: String
    public var scenarios: String { root + "/scenarios" }

    public init(_ label: String, copyingAssets: Bool = false) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("practicum-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/scenarios", withIntermediateDirectories: true)
        if copyingAssets {
            try FileManager.default.copyItem(atPath: repositoryRoot() + "/assets", toPath: root + "/assets")
        } else {
            try FileManager.default.createSymbolicLink(atPath: root + "/assets", withDestinationPath: repositoryRoot() + "/assets")
        }
    }

    /// Writes `text` as `scenarios/<name>/scenario.yaml` and returns its path.
    @discardableResult
    public func write(_ text: String, as name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: "\(scenarios)/\(name)", withIntermediateDirectories: true)
        let path = "\(scenarios)/\(name)/scenario.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    public func remove() { try? FileManager.default.removeItem(atPath: root) }
}
