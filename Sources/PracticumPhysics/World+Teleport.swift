import PracticumCore

extension World {
    /// Moves `body` to `pose` at rest, between ticks (a scenario event repositioning an object).
    /// Non-finite poses are rejected and counted as a warning.
    public mutating func teleport(_ body: Int, to pose: Pose) {
        guard body >= 0, body < model.def.bodies.count else { return }
        guard pose.isFinite else { state.warn(.commandNotFinite, body); return }
        // moved back into the world: simulated again
        if state.isOutOfWorld(body) { state.outOfWorld[body] = false }
        let q = pose.orientation.normalized
        state.position[body] = pose.position + q.rotate(model.comLocal[body])
        state.orientation[body] = q
        state.linearVelocity[body] = .zero
        state.angularVelocity[body] = .zero
        state.kinematicTarget[body] = Pose(position: pose.position, orientation: q)
        wake(body)
    }
}

extension World {
    /// Changes the surface friction and restitution of every shape of `body` from the next tick on
    /// (a scenario event such as a wet glove). Values outside their ranges are clamped; non-finite
    /// ones are rejected with a warning.
    public mutating func setMaterial(_ body: Int, staticFriction: Double, dynamicFriction: Double, restitution: Double) {
        guard body >= 0, body < model.def.bodies.count else { return }
        guard staticFriction.isFinite, dynamicFriction.isFinite, restitution.isFinite else { state.warn(.commandNotFinite, body); return }
        state.materialOverrides.removeAll { $0.body == body }
        state.materialOverrides.append(.init(body: body, staticFriction: max(0, staticFriction), dynamicFriction: max(0, dynamicFriction),
                                             restitution: min(1, max(0, restitution))))
        wake(body)
    }
}
