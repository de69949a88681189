import PracticumCore

/// True when `a` is within `abs` absolute or `rel` relative tolerance of `b`.
public func isClose(_ a: Double, _ b: Double, abs: Double = 1e-9, rel: Double = 0) -> Bool {
    let d = (a - b).magnitude
    return d <= abs || d <= rel * max(a.magnitude, b.magnitude)
}

public func isClose(_ a: Vec3, _ b: Vec3, abs: Double = 1e-9) -> Bool {
    isClose(a.x, b.x, abs: abs) && isClose(a.y, b.y, abs: abs) && isClose(a.z, b.z, abs: abs)
}

/// The repository root, found from this source file's location (tests run from anywhere).
public func repositoryRoot(file: StaticString = #filePath) -> String {
    var parts = "\(file)".split(separator: "/", omittingEmptySubsequences: false)
    while let last = parts.last, last != "Sources", last != "Tests" { parts.removeLast() }
    parts.removeLast()
    return parts.joined(separator: "/")
}
