/// One sample of what the trainee did: the unit a trace stores and every input source produces.
///
/// Samples arrive at the tracker's rate (72–120 Hz) and are resampled at tick times by the session.
public struct InputFrame: Sendable, Equatable, Codable {
    /// Sample time in seconds since the start of the session.
    public var time: Double
    /// Head (eye-centre) pose.
    public var head: Pose
    /// Hands by index: 0 left, 1 right.
    public var hands: [HandInput]
    /// Named buttons held at this sample, sorted (e.g. `menu`, `hint`).
    public var buttons: [String]

    public init(time: Double, head: Pose = .identity, hands: [HandInput] = [HandInput(), HandInput()], buttons: [String] = []) {
        self.time = time; self.head = head; self.hands = hands; self.buttons = buttons
    }
}

/// One tracked hand (controller) sample.
public struct HandInput: Sendable, Equatable, Codable {
    public var pose: Pose
    /// Grip 0...1; above 0.5 grasps the instrument under the hand.
    public var grip: Double
    /// Trigger 0...1 (e.g. press a syringe plunger).
    public var trigger: Double
    public init(pose: Pose = .identity, grip: Double = 0, trigger: Double = 0) { self.pose = pose; self.grip = grip; self.trigger = trigger }
}
