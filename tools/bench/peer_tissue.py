#!/usr/bin/env python3
"""tissue-poke in MuJoCo (flex), the peer of `practicum bench tissue-poke`.

Same scene as Swift's `TissueBenchScenes.tissuePoke`, in MuJoCo's axes (+z up): a 0.10 x 0.10 x 0.05 m block
on a 9 x 9 x 5 point grid (12.5 mm spacing, every cube split into tetrahedra), 0.5 kg, E 50 kPa, nu 0.45, the
81 bottom points pinned; a mocap capsule (r 5 mm, half-length 30 mm, vertical) whose tip follows
x(t) = 0.02 sin(2 pi t / 5), y = 0, z(t) = 0.055 - 0.01 (1 - cos(2 pi t / 2)); friction 0.5; timestep 1/240 s,
2,400 steps, CG solver, single thread. Two flex models: FEM elasticity (`fem`) and edge constraints (`edge`).

  python3 -m venv tools/.venv && tools/.venv/bin/pip install mujoco
  tools/.venv/bin/python tools/bench/peer_tissue.py [--ticks 2400] [--repeat 3] [--json]

Per model it prints wall and thread-CPU milliseconds per simulated second (best of --repeat) and max_indent_mm
(the deepest the top face was pushed down below its rest height 0.05 m).
"""
import argparse
import json
import math
import time

import mujoco

DT = 1.0 / 240


def xml(model):
    if model == "fem":
        flex_extra = '<elasticity young="5e4" poisson="0.45" damping="0.002"/>'
    else:
        flex_extra = '<edge equality="true" damping="0.002"/>'
    # flex elasticity is only stable at this timestep with the discrete-time integrator (MuJoCo >= 3.3 says so)
    integrator = "discrete" if model == "fem" else "Euler"
    return f"""
<mujoco model="tissue-poke-{model}">
  <option timestep="{DT!r}" solver="CG" iterations="50" tolerance="1e-8" integrator="{integrator}"/>
  <size memory="64M"/>
  <worldbody>
    <flexcomp name="block" type="grid" dim="3" count="9 9 5" spacing="0.0125 0.0125 0.0125" pos="0 0 0.025"
              radius="0.0005" mass="0.5">
      {flex_extra}
      <contact condim="3" friction="0.5" selfcollide="none"/>
      <pin gridrange="0 0 0 8 8 0"/>
    </flexcomp>
    <body name="tool" mocap="true" pos="0 0 0.09">
      <geom type="capsule" size="0.005 0.03" friction="0.5"/>
    </body>
  </worldbody>
</mujoco>"""


def tip(t):
    return 0.02 * math.sin(2 * math.pi * t / 5), 0.0, 0.055 - 0.01 * (1 - math.cos(2 * math.pi * t / 2))


def run(model_name, ticks):
    m = mujoco.MjModel.from_xml_string(xml(model_name))
    d = mujoco.MjData(m)
    mujoco.mj_forward(m, d)
    verts = d.flexvert_xpos
    top = [i for i in range(m.flex_vertnum[0]) if abs(verts[i][2] - 0.05) < 1e-9]
    assert len(top) == 81, len(top)
    half = 0.03 + 0.005  # capsule centre above its tip
    max_indent = 0.0
    wall = cpu = 0.0
    for k in range(ticks):
        x, y, z = tip((k + 1) * DT)
        d.mocap_pos[0] = (x, y, z + half)
        w0, c0 = time.perf_counter(), time.thread_time()
        mujoco.mj_step(m, d)
        wall += time.perf_counter() - w0
        cpu += time.thread_time() - c0
        lowest = min(d.flexvert_xpos[i][2] for i in top)
        max_indent = max(max_indent, 0.05 - lowest)
    sim = ticks * DT
    return {"scene": f"tissue-poke/mujoco-{model_name}", "ticks": ticks, "dt": DT, "tets": int(m.flex_elemnum[0]),
            "points": int(m.flex_vertnum[0]), "wall_ms_per_sim_s": 1000 * wall / sim, "cpu_ms_per_sim_s": 1000 * cpu / sim,
            "max_indent_mm": 1000 * max_indent, "mujoco": mujoco.__version__}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ticks", type=int, default=2400)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    for name in ("fem", "edge"):
        runs = [run(name, a.ticks) for _ in range(a.repeat)]
        best = min(runs, key=lambda r: r["cpu_ms_per_sim_s"])
        best["wall_ms_per_sim_s"] = min(r["wall_ms_per_sim_s"] for r in runs)
        if a.json:
            print(json.dumps(best))
        else:
            print(f"{best['scene']}: {best['tets']} tets, {best['wall_ms_per_sim_s']:.1f} ms wall / sim s, "
                  f"{best['cpu_ms_per_sim_s']:.1f} ms CPU / sim s, max indent {best['max_indent_mm']:.1f} mm")


if __name__ == "__main__":
    main()
