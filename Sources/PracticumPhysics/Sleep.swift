import PracticumCore

// Sleeping (optional, `WorldDef.sleep`): islands of dynamic bodies that stay at rest stop being
// simulated until something disturbs them. A procedure spends most of its time with most objects
// lying still (five of six FLS blocks on their pegs while one is carried); solving their resting
// contacts 1200 times a second is what dominated headless replay.
//
// Islands are built each tick from the broad phase's candidate pairs (a superset of the contacts,
// so a body about to be touched wakes in time for the narrow phase) and from joints. A sleeping
// body is not integrated, its contacts with static and sleeping bodies are not generated, and its
// last reported contacts are carried over unchanged. Everything lives in `PhysicsState` (rest
// counters and the asleep flags), so snapshot, restore and hashes stay exact.

extension World {
    /// Wake stage: unites the dynamic bodies that may touch this tick or are jointed; an island with
    /// an awake body, a grasped body or a moving kinematic neighbour wakes whole. Then marks which
    /// bodies the substeps simulate.
    mutating func wakeIslands() {
        let nb = model.bodyCount
        if scratch.simulated.count != nb {
            scratch.simulated = Array(repeating: false, count: nb)
            scratch.island = Array(repeating: 0, count: nb)
            scratch.islandFlag = Array(repeating: false, count: nb)
        }
        defer { for b in state.outOfWorld.indices where state.outOfWorld[b] { scratch.simulated[b] = false } }
        guard model.def.sleep != nil else {
            for b in 0..<nb { scratch.simulated[b] = model.kind[b] == .dynamic }
            return
        }
        for b in 0..<nb { scratch.island[b] = b; scratch.islandFlag[b] = false }
        scratch.woken.removeAll(keepingCapacity: true)
        for pair in scratch.pairs { connect(model.shapes[Int(pair.a)].body, model.shapes[Int(pair.b)].body) }
        for j in model.joints where j.b >= 0 { connect(j.a, j.b) }
        for hand in state.hands where hand.grasped >= 0 { scratch.woken.append(hand.grasped) }
        for b in 0..<nb where model.kind[b] == .dynamic && !state.asleep[b] { scratch.woken.append(b) }
        for k in scratch.woken.indices { scratch.islandFlag[islandRoot(scratch.woken[k])] = true }
        for b in 0..<nb where model.kind[b] == .dynamic {
            if state.asleep[b] && scratch.islandFlag[islandRoot(b)] { state.asleep[b] = false; state.restTicks[b] = 0 }
            scratch.simulated[b] = !state.asleep[b]
        }
    }

    /// Unites two dynamic bodies; a dynamic body next to a moving kinematic one is woken.
    private mutating func connect(_ a: Int, _ b: Int) {
        let ka = model.kind[a], kb = model.kind[b]
        if ka == .dynamic && kb == .dynamic {
            let ra = islandRoot(a), rb = islandRoot(b)
            if ra != rb { scratch.island[max(ra, rb)] = min(ra, rb) }
        } else if ka == .dynamic && kb == .kinematic && kinematicMoves(b) {
            scratch.woken.append(a)
        } else if kb == .dynamic && ka == .kinematic && kinematicMoves(a) {
            scratch.woken.append(b)
        }
    }

    private func kinematicMoves(_ b: Int) -> Bool {
        scratch.kinematicStart[b] != scratch.kinematicEnd[b]
    }

    /// The island of body `b` (union–find with path halving; roots are the smallest body index).
    private mutating func islandRoot(_ b: Int) -> Int {
        var i = b
        while scratch.island[i] != i {
            scratch.island[i] = scratch.island[scratch.island[i]]
            i = scratch.island[i]
        }
        return i
    }

    /// Sleep stage: counts the ticks each simulated body has spent below the rest speeds; an island
    /// whose bodies have all rested for `sleep.time` goes to sleep, at exactly zero velocity.
    mutating func sleepIslands() {
        guard let sleep = model.def.sleep else { return }
        let nb = model.bodyCount
        let needed = Int32(min(max(1, (sleep.time / model.dt).rounded(.up)), Double(Int32.max)))
        for b in 0..<nb where scratch.simulated[b] {
            let resting = state.linearVelocity[b].length < sleep.linearSpeed && state.angularVelocity[b].length < sleep.angularSpeed
            state.restTicks[b] = resting ? min(state.restTicks[b] + 1, needed) : 0
        }
        for hand in state.hands where hand.grasped >= 0 { state.restTicks[hand.grasped] = 0 }
        // islandFlag now means "the island may sleep"
        for b in 0..<nb { scratch.islandFlag[b] = true }
        for b in 0..<nb where scratch.simulated[b] && state.restTicks[b] < needed { scratch.islandFlag[islandRoot(b)] = false }
        for b in 0..<nb where scratch.simulated[b] && scratch.islandFlag[islandRoot(b)] {
            state.asleep[b] = true
            state.linearVelocity[b] = .zero
            state.angularVelocity[b] = .zero
        }
    }

    /// Wakes `body` (it was moved or changed between ticks).
    mutating func wake(_ body: Int) {
        guard !state.asleep.isEmpty else { return }
        state.asleep[body] = false
        state.restTicks[body] = 0
    }

    /// Whether `body` is asleep (see `SleepDef`).
    public func isAsleep(_ body: Int) -> Bool {
        !state.asleep.isEmpty && state.asleep[body]
    }
}
