/// What a tissue layer is. The needle model acts on `lumen` (flashback; a resisting layer beyond it
/// is a back-wall puncture); the other kinds resist with their layer's numbers and say what the layer
/// is. Raw values are the scenario spellings.
public enum TissueLayerKind: String, Sendable, Hashable, CaseIterable {
    /// Skin, fat, muscle, fascia, pleura, ligament …
    case tissue
    /// The wall of a vessel (front or back wall).
    case vesselWall = "vessel_wall"
    /// The inside of a vessel: a needle tip here gives flashback.
    case lumen
    /// A space between layers (pleural, epidural, subarachnoid).
    case cavity
}

/// Typical parameters of a tissue layer, by name: the one table both the scenario loader (`preset:`
/// on a layer) and physics (`TissueLayerDef.preset(_:thickness:)`) read.
///
/// Stiffness, puncture force and friction are mid-range values for an 18–22 G bevelled needle, read off
/// the ranges reported in the needle-insertion literature (Okamura et al. 2004; Abolhassani et al. 2007;
/// van Gerwen et al. 2012); tune them per scenario. Loss of resistance (ligamentum flavum → epidural
/// space) comes from a stiff, strong layer followed by a cavity.
public struct TissuePreset: Sendable, Hashable {
    public var name: String
    public var kind: TissueLayerKind
    /// Stiffness of the layer's surface against the tip before it gives (N/m).
    public var stiffness: Double
    /// Axial force at which the tip punctures the layer (N); 0 for a space or lumen.
    public var punctureForce: Double
    /// Friction per metre of shaft inside the layer (N/m).
    public var friction: Double
    /// Force to cut through the layer while advancing after puncture (N).
    public var cuttingForce: Double

    init(_ name: String, _ kind: TissueLayerKind = .tissue, stiffness: Double, punctureForce: Double, friction: Double,
         cuttingForce: Double = 0) {
        self.name = name; self.kind = kind; self.stiffness = stiffness; self.punctureForce = punctureForce
        self.friction = friction; self.cuttingForce = cuttingForce
    }

    /// Every preset, in the order the docs list them.
    public static let all: [TissuePreset] = [
        TissuePreset("skin", stiffness: 800, punctureForce: 1.2, friction: 30, cuttingForce: 0.1),
        TissuePreset("fat", stiffness: 200, punctureForce: 0.3, friction: 10),
        TissuePreset("fascia", stiffness: 1000, punctureForce: 1.5, friction: 20),
        TissuePreset("muscle", stiffness: 600, punctureForce: 1.0, friction: 25),
        TissuePreset("vein wall", .vesselWall, stiffness: 500, punctureForce: 0.6, friction: 20),
        TissuePreset("artery wall", .vesselWall, stiffness: 900, punctureForce: 1.2, friction: 20),
        TissuePreset("lumen", .lumen, stiffness: 1, punctureForce: 0, friction: 0),
        TissuePreset("pleura", stiffness: 700, punctureForce: 1.0, friction: 20),
        TissuePreset("pleural space", .cavity, stiffness: 1, punctureForce: 0, friction: 0),
        TissuePreset("ligament", stiffness: 2000, punctureForce: 3.0, friction: 40),
        TissuePreset("ligamentum flavum", stiffness: 3000, punctureForce: 6.0, friction: 40),
        TissuePreset("epidural space", .cavity, stiffness: 1, punctureForce: 0, friction: 0),
        TissuePreset("dura", stiffness: 1200, punctureForce: 1.5, friction: 20),
        TissuePreset("subarachnoid space", .cavity, stiffness: 1, punctureForce: 0, friction: 0),
    ]

    /// The preset called `name`, or nil.
    public static func named(_ name: String) -> TissuePreset? { all.first { $0.name == name } }
}
