import PracticumCore
@testable import PracticumPhysics

/// Small worlds shared by the physics tests.
enum Scenes {
    static let floorHalf = Vec3(5, 0.5, 5)

    /// A static floor box whose top face is y = 0.
    static func floor(_ material: MaterialDef = MaterialDef(friction: 0.5)) -> BodyDef {
        BodyDef(kind: .static, pose: Pose(position: Vec3(0, -0.5, 0)), shapes: [ShapeDef(.box(halfExtents: floorHalf), material: material)])
    }

    static func sphere(at p: Vec3, r: Double = 0.05, _ material: MaterialDef = MaterialDef(friction: 0.5)) -> BodyDef {
        BodyDef(pose: Pose(position: p), shapes: [ShapeDef(.sphere(radius: r), material: material)])
    }

    static func box(at p: Vec3, half: Vec3, _ material: MaterialDef = MaterialDef(friction: 0.5), orientation: Quat = .identity) -> BodyDef {
        BodyDef(pose: Pose(position: p, orientation: orientation), shapes: [ShapeDef(.box(halfExtents: half), material: material)])
    }

    static func run(_ world: inout World, seconds: Double, each: (World) -> Void = { _ in }) {
        let ticks = Int((seconds / world.model.dt).rounded())
        for _ in 0..<ticks { world.step(); each(world) }
    }
}
