import Foundation

/// Where a SCENARIO argument that is a bare id (`cpr-adult`) is looked for, in this order
/// (README, "The practicum command"; each folder holds `<id>/scenario.yaml`):
///
/// 1. every folder in `PRACTICUM_SCENARIOS` (colon-separated, like `PATH`),
/// 2. `scenarios/` in the working directory,
/// 3. the install's share folder: `<prefix>/share/practicum/scenarios` beside `<prefix>/bin/practicum`,
/// 4. the source checkout a development build lives in (`<checkout>/.build/…/practicum` → `<checkout>/scenarios`).
///
/// So `practicum score cpr-adult …` works from any directory, in a checkout and once installed.
public struct ScenarioSearchPath: Sendable, Equatable {
    /// The folders searched, in order.
    public var folders: [String]

    public init(folders: [String]) { self.folders = folders }

    /// The search path for this process: its environment, working directory and executable.
    public static var current: ScenarioSearchPath {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        return standard(environment: ProcessInfo.processInfo.environment,
                        executable: FileManager.default.fileExists(atPath: exe) ? exe : (Bundle.main.executablePath ?? ""))
    }

    /// The search path for a process with `environment` running `executable` (an absolute path);
    /// the working directory's folder is the relative path `scenarios`, so messages name it briefly.
    public static func standard(environment: [String: String], executable: String) -> ScenarioSearchPath {
        var folders = (environment["PRACTICUM_SCENARIOS"] ?? "").split(separator: ":").map(String.init)
        folders.append("scenarios")
        let bin = URL(fileURLWithPath: executable).deletingLastPathComponent()
        folders.append(bin.deletingLastPathComponent().appendingPathComponent("share/practicum/scenarios").path)
        let parts = bin.pathComponents
        if let build = parts.lastIndex(of: ".build") {
            folders.append(NSString.path(withComponents: Array(parts[..<build]) + ["scenarios"]))
        }
        return ScenarioSearchPath(folders: folders)
    }

    /// A SCENARIO argument as a file: an existing file as given, a folder's `scenario.yaml`, or a
    /// bare id found on the search path; otherwise the argument itself (its loading then says "no such file").
    public func resolve(_ arg: String) -> String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: arg, isDirectory: &isDir) {
            return isDir.boolValue ? (arg as NSString).appendingPathComponent("scenario.yaml") : arg
        }
        guard !arg.contains("/"), !arg.isEmpty, arg != ".", arg != ".." else { return arg }
        return folders.map { "\($0)/\(arg)/scenario.yaml" }.first { FileManager.default.fileExists(atPath: $0) } ?? arg
    }
}
