import PracticumCore

// Tissue and needles as parts of the world.
//
// A tissue patch is carried by a body: its surface centre, outward normal and size are given in that
// body's frame, so the patch moves with the body (a forearm lifted by an event, a chest on a spring).
// One rule for every orientation: the patch is the box of `halfSize` around `center`, and a tip is in
// its footprint when its position, projected onto the surface plane, lies inside that box. With the
// normal along ±y, x and z bound the surface; along ±x, y and z; along ±z, x and y.

/// How a needle interacts with a tissue patch.
public enum NeedleModel: String, Sendable, Equatable, CaseIterable {
    /// Force builds against each layer's surface until its puncture force (Okamura et al. 2004); the
    /// tissue pushes back on the needle body and so on the hand that holds it.
    case force
    /// A layer counts as punctured as soon as the tip crosses its top; the tissue offers no resistance.
    case geometric
}

/// A layered tissue on the surface of a body.
public struct TissuePatchDef: Sendable, Equatable {
    /// The carrying body's index in `WorldDef.bodies`.
    public var body: Int
    /// Centre of the outer surface and the outward unit normal, in the body frame.
    public var center: Vec3
    public var normal: Vec3
    /// Half extents of the patch box in the body frame (m); see the footprint rule above.
    public var halfSize: Vec3
    public var layers: [TissueLayerDef]
    public var needleModel: NeedleModel
    /// When set, the patch is simulated as a deformable block (XPBD tetrahedra) pinned to the body.
    public var deformable: DeformableDef?

    public init(body: Int, center: Vec3 = .zero, normal: Vec3 = .unitY, halfSize: Vec3 = Vec3(0.05, 0.025, 0.05),
                layers: [TissueLayerDef], needleModel: NeedleModel = .force, deformable: DeformableDef? = nil) {
        self.body = body; self.center = center; self.normal = normal; self.halfSize = halfSize; self.layers = layers
        self.needleModel = needleModel; self.deformable = deformable
    }

    /// The patch's surface frame in the body frame: origin on the surface, local +y the outward normal.
    public var surfaceFrame: Pose { LayeredSlabDef.surfaceFrame(center: center, normal: normal) }

    /// Half extents of the footprint along the surface frame's local x and z (m): the box's support along
    /// each tangent, so that a patch turned to any axis-aligned normal keeps the footprint `halfSize` says.
    public var tangentHalfExtents: (x: Double, z: Double) {
        let q = surfaceFrame.orientation
        func support(_ d: Vec3) -> Double { abs(d.x) * halfSize.x + abs(d.y) * halfSize.y + abs(d.z) * halfSize.z }
        return (support(q.rotate(.unitX)), support(q.rotate(.unitZ)))
    }
}

/// A deformable block's material and mesh resolution.
public struct DeformableDef: Sendable, Equatable {
    /// Young's modulus (Pa), Poisson ratio and density (kg/m³).
    public var youngsModulus: Double
    public var poissonRatio: Double
    public var density: Double
    /// Grid points along the surface x, the depth and the surface z.
    public var resolution: (x: Int, y: Int, z: Int)

    public init(youngsModulus: Double = 50_000, poissonRatio: Double = 0.45, density: Double = 1000,
                resolution: (x: Int, y: Int, z: Int) = (9, 5, 9)) {
        self.youngsModulus = youngsModulus; self.poissonRatio = poissonRatio; self.density = density; self.resolution = resolution
    }

    public static func == (a: DeformableDef, b: DeformableDef) -> Bool {
        a.youngsModulus == b.youngsModulus && a.poissonRatio == b.poissonRatio && a.density == b.density
            && a.resolution == b.resolution
    }
}

/// A body that is a needle: its tip and shaft direction in the body frame, and the needle's parameters.
public struct NeedleBodyDef: Sendable, Equatable {
    public var body: Int
    /// Tip position and unit shaft direction (hub → tip), body frame.
    public var tip: Vec3
    public var axis: Vec3
    public var needle: NeedleDef

    public init(body: Int, tip: Vec3, axis: Vec3, needle: NeedleDef = NeedleDef()) {
        self.body = body; self.tip = tip; self.axis = axis; self.needle = needle
    }
}
