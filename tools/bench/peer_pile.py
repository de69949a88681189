#!/usr/bin/env python3
"""The sphere-pile scene in MuJoCo and pybullet, for `tools/bench/compare`.

Same scene as `SpherePile` in Sources/PracticumPhysics/BenchScenes.swift: N spheres (r 0.02 m,
1000 kg/m^3, friction 0.5, no restitution) on a jittered lattice (spacing 0.05 m, +-4 mm from
SplitMix64 seeded 42, drawn x, y, z per sphere exactly as the Swift code does), dropped into a tray
(inner half-width 0.10 m for N<=100, 0.30 m up to N=2000, then 0.30*sqrt(N/2000) m; walls 0.5 m high, 0.02 m thick), tick 1/240 s,
single thread. Our y-up coordinates map to the peers' z-up as (x, y, z) -> (x, -z, y).

Prints one JSON object per engine: scene, engine, n, ticks, dt, ms_per_step_median, kinetic_energy_final, escaped.
Usage: tools/.venv/bin/python tools/bench/peer_pile.py [--n N] [--ticks T] [--engine mujoco|pybullet|all] [--clock wall|cpu]
--clock cpu times each step with this thread's CPU time (time.thread_time), fair on a loaded machine.
"""
import argparse, json, math, statistics, sys, time

R, DENSITY, FRICTION, SPACING, JITTER = 0.02, 1000.0, 0.5, 0.05, 0.004
WALL_H, WALL_T, FIRST_LAYER, SEED, DT = 0.5, 0.02, 0.05, 42, 1.0 / 240.0
MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed): self.state = seed & MASK
    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)
    def unit(self): return (self.next() >> 11) * (1.0 / 9007199254740992.0)
    def uniform(self, lo, hi): return lo + (hi - lo) * self.unit()


def half_width(n):
    """SpherePile.halfWidth(n:): the tray widens with sqrt(N) past 2,000 spheres so that the pile never tops the walls."""
    return 0.10 if n <= 100 else 0.30 * max(1.0, math.sqrt(n / 2000))


def positions(n):
    """Sphere centres in our y-up frame, identical to SpherePile.positions(n:)."""
    w = half_width(n)
    per_row = int(2 * w / SPACING)
    rng, out = SplitMix64(SEED), []
    for i in range(n):
        ix, iz, iy = i % per_row, (i // per_row) % per_row, i // (per_row * per_row)
        base = (-w + SPACING / 2 + ix * SPACING, FIRST_LAYER + iy * SPACING, -w + SPACING / 2 + iz * SPACING)
        j = (rng.uniform(-JITTER, JITTER), rng.uniform(-JITTER, JITTER), rng.uniform(-JITTER, JITTER))
        out.append(tuple(b + d for b, d in zip(base, j)))
    return out


def to_zup(p): return (p[0], -p[2], p[1])


def boxes(n):
    """Static tray boxes as (centre z-up, half extents z-up)."""
    w, t, hh = half_width(n), WALL_T / 2, WALL_H / 2
    return [((0, 0, -0.05), (w + WALL_T, w + WALL_T, 0.05)),
            ((-w - t, 0, hh), (t, w + WALL_T, hh)), ((w + t, 0, hh), (t, w + WALL_T, hh)),
            ((0, -w - t, hh), (w, t, hh)), ((0, w + t, hh), (w, t, hh))]


def escaped(n, zup_positions):
    w = half_width(n)
    return sum(1 for (x, y, z) in zup_positions if abs(x) > w or abs(y) > w or z < 0 or z > WALL_H)


def run_mujoco(n, ticks, clock):
    import mujoco
    geoms = "\n".join(f'<geom type="box" pos="{c[0]} {c[1]} {c[2]}" size="{h[0]} {h[1]} {h[2]}" friction="{FRICTION} 0.005 0.0001"/>'
                      for c, h in boxes(n))
    bodies = "\n".join(f'<body pos="{p[0]} {p[1]} {p[2]}"><freejoint/><geom type="sphere" size="{R}" density="{DENSITY}" '
                       f'friction="{FRICTION} 0.005 0.0001"/></body>' for p in map(to_zup, positions(n)))
    xml = f"""<mujoco><option timestep="{DT}" gravity="0 0 -9.81"/>
      <worldbody>{geoms}{bodies}</worldbody></mujoco>"""
    m = mujoco.MjModel.from_xml_string(xml)
    d = mujoco.MjData(m)
    times = []
    for _ in range(ticks):
        t0 = clock(); mujoco.mj_step(m, d); times.append(clock() - t0)
    ke = 0.0
    for b in range(1, m.nbody):
        v = d.qvel[6 * (b - 1): 6 * b]
        mass = m.body_mass[b]; inertia = m.body_inertia[b]
        ke += 0.5 * mass * sum(x * x for x in v[:3]) + 0.5 * sum(i * w * w for i, w in zip(inertia, v[3:]))
    pos = [tuple(d.xpos[b]) for b in range(1, m.nbody)]
    return times, ke, escaped(n, pos)


def run_pybullet(n, ticks, clock):
    import pybullet as p
    cid = p.connect(p.DIRECT)
    p.setGravity(0, 0, -9.81); p.setTimeStep(DT)
    for c, h in boxes(n):
        shape = p.createCollisionShape(p.GEOM_BOX, halfExtents=h)
        body = p.createMultiBody(0, shape, basePosition=c)
        p.changeDynamics(body, -1, lateralFriction=FRICTION, restitution=0)
    mass = DENSITY * 4.0 / 3.0 * 3.141592653589793 * R ** 3
    sphere = p.createCollisionShape(p.GEOM_SPHERE, radius=R)
    ids = []
    for pos in map(to_zup, positions(n)):
        b = p.createMultiBody(mass, sphere, basePosition=pos)
        p.changeDynamics(b, -1, lateralFriction=FRICTION, restitution=0)
        ids.append(b)
    times = []
    for _ in range(ticks):
        t0 = clock(); p.stepSimulation(); times.append(clock() - t0)
    inertia = 0.4 * mass * R * R
    ke, pos = 0.0, []
    for b in ids:
        v, w = p.getBaseVelocity(b)
        ke += 0.5 * mass * sum(x * x for x in v) + 0.5 * inertia * sum(x * x for x in w)
        pos.append(p.getBasePositionAndOrientation(b)[0])
    p.disconnect(cid)
    return times, ke, escaped(n, pos)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--ticks", type=int, default=2400)
    ap.add_argument("--engine", default="all", choices=["all", "mujoco", "pybullet"])
    ap.add_argument("--clock", default="wall", choices=["wall", "cpu"])
    a = ap.parse_args()
    clock = time.thread_time if a.clock == "cpu" else time.perf_counter
    for name, fn in (("mujoco", run_mujoco), ("pybullet", run_pybullet)):
        if a.engine not in ("all", name):
            continue
        try:
            times, ke, esc = fn(a.n, a.ticks, clock)
        except ImportError as e:
            print(f"peer_pile: {name} unavailable ({e}); run tools/bench/setup-peers", file=sys.stderr)
            continue
        print(json.dumps({"scene": "sphere-pile", "engine": name, "n": a.n, "ticks": a.ticks, "dt": DT,
                          "ms_per_step_median": 1000 * statistics.median(times), "clock": a.clock, "kinetic_energy_final": ke, "escaped": esc}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
