// Cameras and per-eye views.
//
// Stereo uses the off-axis (asymmetric frustum) method: both eyes look parallel, each through
// a frustum skewed so that the two frusta meet on a shared zero-parallax plane ("the screen")
// at the convergence distance. Toe-in cameras would add vertical parallax at the image edges;
// the off-axis frustum does not. See Bourke, "Calculating stereo pairs" (1999), and Kooima,
// "Generalized perspective projection" (2008); headset runtimes hand out the same kind of
// asymmetric per-eye frustum.
import PracticumCore

/// A camera circling a target point: the instructor's preview view.
public struct OrbitCamera: Sendable, Equatable {
    /// The point looked at, world m.
    public var target: Vec3
    /// Distance from the target, m.
    public var distance: Double
    /// Rotation about world +y in radians (0 looks along −z).
    public var yaw: Double
    /// Elevation in radians, positive looks down on the target; clamped to ±89°.
    public var pitch: Double

    public init(target: Vec3 = .zero, distance: Double = 1.5, yaw: Double = 0, pitch: Double = 0.5) {
        self.target = target; self.distance = distance; self.yaw = yaw; self.pitch = pitch
    }

    /// The orbit camera whose pose is `head` (looking along its −z, roll ignored), circling the point
    /// `distance` m in front of it.
    public init(lookingFrom head: Pose, distance: Double) {
        let d = head.orientation.rotate(Vec3(0, 0, -1)).normalized
        self.init(target: head.position + d * distance, distance: distance,
                  yaw: atan2(-d.x, -d.z), pitch: asin(min(max(-d.y, -1), 1)))
    }

    public var orientation: Quat { Quat(axis: .unitY, angle: yaw) * Quat(axis: .unitX, angle: -pitch) }
    /// The camera (head) pose: at `distance` behind the target along the view direction.
    public var pose: Pose {
        let q = orientation
        return Pose(position: target + q.rotate(Vec3(0, 0, distance)), orientation: q)
    }
    /// Rotates by mouse motion, radians.
    public mutating func orbit(yaw dy: Double, pitch dp: Double) {
        yaw += dy
        pitch = min(max(pitch + dp, -89 * .pi / 180), 89 * .pi / 180)
    }
    /// Multiplies the distance (scroll wheel), kept within 5 cm...50 m.
    public mutating func zoom(_ factor: Double) { distance = min(max(distance * factor, 0.05), 50) }
}

/// Where a scenario opens in the viewer: the trainee's head above and behind the work area, looking down.
/// `ScenarioSimulation` starts the run's head pose here and `practicum run` opens `camera` on it; the
/// smoke test projects its probe landmarks through the same camera.
public enum ScenarioViewpoint {
    /// The head pose of a scenario's first input frame (world m): 1.25 m up, 0.45 m towards the trainee
    /// (+z), turned 35° down.
    public static let head = Pose(position: Vec3(0, 1.25, 0.45), orientation: Quat(axis: .unitX, angle: -35 * .pi / 180))
    /// Distance from the head to the point the opening orbit camera circles, m.
    public static let orbitDistance = 0.6
    /// The camera a scenario opens with: at `head`, orbiting the point `orbitDistance` in front of it.
    public static var camera: OrbitCamera { OrbitCamera(lookingFrom: head, distance: orbitDistance) }

    /// The orbit camera at `eye` looking at `target` (a scenario's `cues.viewpoint`).
    public static func camera(eye: Vec3, target: Vec3) -> OrbitCamera {
        let d = (target - eye).normalized
        return OrbitCamera(target: target, distance: eye.distance(to: target), yaw: atan2(-d.x, -d.z), pitch: asin(min(max(-d.y, -1), 1)))
    }
}

/// A walking camera: the trainee's head in first-person mode.
public struct FirstPersonCamera: Sendable, Equatable {
    public var position: Vec3
    public var yaw: Double
    /// Positive looks up; clamped to ±89°.
    public var pitch: Double
    public init(position: Vec3 = Vec3(0, 1.6, 0.5), yaw: Double = 0, pitch: Double = -0.5) {
        self.position = position; self.yaw = yaw; self.pitch = pitch
    }
    public var orientation: Quat { Quat(axis: .unitY, angle: yaw) * Quat(axis: .unitX, angle: pitch) }
    public var pose: Pose { Pose(position: position, orientation: orientation) }
    public mutating func look(yaw dy: Double, pitch dp: Double) {
        yaw += dy
        pitch = min(max(pitch + dp, -89 * .pi / 180), 89 * .pi / 180)
    }
    /// Moves in the camera's horizontal frame, m.
    public mutating func move(forward: Double, right: Double, up: Double) {
        let q = Quat(axis: .unitY, angle: yaw)
        position += q.rotate(Vec3(right, 0, -forward)) + Vec3(0, up, 0)
    }
}

/// A pixel rectangle in the window (origin bottom-left, as OpenGL's viewport).
public struct Viewport: Sendable, Equatable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) { self.x = x; self.y = y; self.width = width; self.height = height }
    public var aspect: Double { Double(width) / Double(max(height, 1)) }
    /// Window pixel (origin top-left, as images store rows) of an NDC point drawn in this viewport.
    public func pixel(ndc: SIMD3<Double>, windowHeight: Int) -> (x: Double, y: Double) {
        let px = Double(x) + (ndc.x + 1) / 2 * Double(width)
        let py = Double(y) + (ndc.y + 1) / 2 * Double(height)
        return (px, Double(windowHeight) - py)
    }
}

/// One rendered view: where it goes on screen and how the world maps into it.
public struct EyeView: Sendable, Equatable {
    public var viewport: Viewport
    /// World pose of this eye (camera looks down its −z).
    public var eye: Pose
    public var view: Mat4
    public var projection: Mat4
    public var viewProjection: Mat4 { projection * view }
}

/// Lens settings shared by mono and stereo views.
public struct Lens: Sendable, Equatable {
    /// Full vertical field of view, radians (typical 60°–100°).
    public var fovY: Double
    /// Near and far clip distances, m.
    public var near: Double, far: Double
    public init(fovY: Double = 60 * .pi / 180, near: Double = 0.02, far: Double = 50) { self.fovY = fovY; self.near = near; self.far = far }
    /// The angle one pixel subtends at the centre of a view `heightPixels` tall, rad.
    public func pixelAngle(heightPixels: Int) -> Double { fovY / Double(max(heightPixels, 1)) }
}

/// Side-by-side stereo from a head pose: the headset stand-in.
public struct StereoRig: Sendable, Equatable {
    /// Inter-pupillary distance, m (adult median about 63 mm).
    public var ipd: Double
    /// Distance of the zero-parallax plane from the eyes, m: objects there appear at screen depth.
    public var convergence: Double
    public var lens: Lens
    public init(ipd: Double = 0.063, convergence: Double = 0.6, lens: Lens = Lens(fovY: 80 * .pi / 180)) {
        self.ipd = ipd; self.convergence = convergence; self.lens = lens
    }

    /// Left then right eye views for a window of `width`×`height` pixels split down the middle.
    public func eyes(head: Pose, width: Int, height: Int) -> [EyeView] {
        let half = width / 2
        return [(-1.0, Viewport(x: 0, y: 0, width: half, height: height)),
                (1.0, Viewport(x: half, y: 0, width: width - half, height: height))].map { side, vp in
            eye(head: head, offset: side * ipd / 2, viewport: vp)
        }
    }

    /// The view of an eye displaced `offset` m along the head's +x, looking through the shared window
    /// on the zero-parallax plane.
    func eye(head: Pose, offset e: Double, viewport: Viewport) -> EyeView {
        let n = lens.near, d = convergence
        // the shared window on the convergence plane, in head coordinates
        let halfH = d * tan(lens.fovY / 2), halfW = halfH * viewport.aspect
        // its edges as seen from the eye, scaled back to the near plane
        let projection = Mat4.frustum(left: (-halfW - e) * n / d, right: (halfW - e) * n / d,
                                      bottom: -halfH * n / d, top: halfH * n / d, near: n, far: lens.far)
        let eyePose = head * Pose(position: Vec3(e, 0, 0))
        return EyeView(viewport: viewport, eye: eyePose, view: .view(eyePose), projection: projection)
    }
}

extension Lens {
    /// A single centred view filling the window.
    public func monoView(head: Pose, width: Int, height: Int) -> EyeView {
        let vp = Viewport(x: 0, y: 0, width: width, height: height)
        return EyeView(viewport: vp, eye: head, view: .view(head),
                       projection: .perspective(fovY: fovY, aspect: vp.aspect, near: near, far: far))
    }
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
