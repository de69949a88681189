import PracticumCore

extension World {
    /// Moves `body` to `pose` at rest, between ticks (a scenario event repositioning an object).
    /// Non-finite poses are rejected and counted as a warning.
    public mutating func teleport(_ body: Int, to pose: Pose) {
        guard body >= 0, body < model.def.bodies.count else { return }
        guard pose.isFinite else { state.warnings += 1; return }
        let q = pose.orientation.normalized
        state.position[body] = pose.position + q.rotate(model.comLocal[body])
        state.orientation[body] = q
        state.linearVelocity[body] = .zero
        state.angularVelocity[body] = .zero
        state.kinematicTarget[body] = Pose(position: pose.position, orientation: q)
    }
}
