#!/usr/bin/env python3
"""Generate tetrahedral meshes for Practicum's soft tissue (text format of Swift's `TetMesh.text`).

  python3 tools/tetmesh/tetmesh.py box --min -0.05 0 -0.05 --size 0.1 0.05 0.1 --counts 9 5 9 \
      -o assets/meshes/tissue-poke-block.tet
  python3 tools/tetmesh/tetmesh.py tetgen surface.off -o assets/meshes/NAME.tet   # needs Debian's `tetgen`

`box` reproduces `TetMesh.box(minimum:size:counts:)` bit for bit: points x fastest, then z, then y; every
grid cube split into six tetrahedra around its main diagonal (Kuhn split). `tetgen` runs TetGen
(`tetgen -pqYa<vol>`) on a closed surface mesh (.off/.ply/.stl/.poly) and converts its .node/.ele output.
Axes: metres, +y up (our world).
"""
import argparse
import itertools
import os
import subprocess
import sys
import tempfile


def orient(points, t):
    a, b, c, d = (points[i] for i in t)
    u = [b[k] - a[k] for k in range(3)]
    v = [c[k] - a[k] for k in range(3)]
    w = [d[k] - a[k] for k in range(3)]
    det = (u[1] * v[2] - u[2] * v[1]) * w[0] + (u[2] * v[0] - u[0] * v[2]) * w[1] + (u[0] * v[1] - u[1] * v[0]) * w[2]
    return (t[0], t[2], t[1], t[3]) if det < 0 else tuple(t)


def box(mn, size, counts):
    nx, ny, nz = (max(2, c) for c in counts)
    idx = lambda i, j, k: i + nx * (k + nz * j)
    points = []
    for j in range(ny):
        for k in range(nz):
            for i in range(nx):
                points.append((mn[0] + size[0] * i / (nx - 1), mn[1] + size[1] * j / (ny - 1), mn[2] + size[2] * k / (nz - 1)))
    tets = []
    perms = [(0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)]
    for j in range(ny - 1):
        for k in range(nz - 1):
            for i in range(nx - 1):
                for p in perms:
                    c = [0, 0, 0]
                    v = [idx(i, j, k)]
                    for axis in p:
                        c[axis] = 1
                        v.append(idx(i + c[0], j + c[1], k + c[2]))
                    tets.append(orient(points, v))
    return points, tets


def fmt(x):
    # Swift prints integral doubles as "1.0" and others in shortest round-trip form, as Python's repr does
    return repr(float(x))


def write(points, tets, out):
    lines = ["tetmesh 1", f"points {len(points)}"]
    lines += [" ".join(fmt(c) for c in p) for p in points]
    lines.append(f"tets {len(tets)}")
    lines += [" ".join(str(i) for i in t) for t in tets]
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


def read_tetgen(stem):
    def rows(path):
        with open(path) as f:
            for line in f:
                line = line.split("#")[0].split()
                if line:
                    yield line
    node = rows(stem + ".node")
    n = int(next(node)[0])
    ids, points = {}, []
    for _ in range(n):
        r = next(node)
        ids[int(r[0])] = len(points)
        points.append(tuple(float(x) for x in r[1:4]))
    ele = rows(stem + ".ele")
    m = int(next(ele)[0])
    tets = [orient(points, [ids[int(x)] for x in next(ele)[1:5]]) for _ in range(m)]
    return points, tets


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("box")
    b.add_argument("--min", nargs=3, type=float, required=True)
    b.add_argument("--size", nargs=3, type=float, required=True)
    b.add_argument("--counts", nargs=3, type=int, required=True)
    b.add_argument("-o", "--out", required=True)
    t = sub.add_parser("tetgen")
    t.add_argument("surface")
    t.add_argument("--max-volume", type=float, default=1e-6, help="largest tetrahedron (m^3)")
    t.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    if a.cmd == "box":
        points, tets = box(a.min, a.size, a.counts)
    else:
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "in" + os.path.splitext(a.surface)[1])
            with open(a.surface, "rb") as f, open(src, "wb") as g:
                g.write(f.read())
            subprocess.run(["tetgen", f"-pqYQa{a.max_volume:g}", src], check=True)
            points, tets = read_tetgen(os.path.join(d, "in.1"))
    write(points, tets, a.out)
    print(f"{a.out}: {len(points)} points, {len(tets)} tets", file=sys.stderr)


if __name__ == "__main__":
    main()
