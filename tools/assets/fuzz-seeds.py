#!/usr/bin/env python3
"""Writes the glTF fuzz seeds (Tests/fuzz-corpus/gltf/seed-*): a triangle placed by its node, a
box as .gltf with a data: buffer, and two boxes, one turned and moved. Run by tools/fuzz/seed."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import glb

out = sys.argv[1] if len(sys.argv) > 1 else "Tests/fuzz-corpus/gltf"
os.makedirs(out, exist_ok=True)
s = glb.Scene(); s.mesh([(0, 0, 0), (0.01, 0, 0), (0, 0.01, 0)], [(0, 0, 1)] * 3, [(0, 1, 2)], (1, 0, 0, 1), translation=(0, 0.02, 0))
open(os.path.join(out, "seed-triangle.glb"), "wb").write(s.glb())
s = glb.Scene(); s.mesh(*glb.box(0.01, 0.02, 0.03), (0.8, 0.6, 0.5, 1))
open(os.path.join(out, "seed-box.gltf"), "wb").write(s.gltf())
s = glb.Scene(); p, n, t = glb.box(0.01, 0.01, 0.01)
s.mesh(p, n, t, (0.2, 0.2, 0.8, 1), translation=(0.05, 0, 0), rotation=(0, 0.7071068, 0, 0.7071068)); s.mesh(p, n, t, (0.9, 0.9, 0.9, 1))
open(os.path.join(out, "seed-two-boxes.glb"), "wb").write(s.glb())
