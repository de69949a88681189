"""A minimal glTF 2.0 writer for procedural assets (no dependencies): triangle meshes with
positions, normals and indices, one material per mesh, placed by nodes. Used by the asset
generators in this folder and for the glTF fuzz seeds (Tests/fuzz-corpus/gltf)."""
import base64, json, struct


class Scene:
    def __init__(self):
        self.bin = bytearray()
        self.doc = {"asset": {"version": "2.0", "generator": "practicum tools/assets"},
                    "scene": 0, "scenes": [{"nodes": []}], "nodes": [], "meshes": [],
                    "materials": [], "accessors": [], "bufferViews": [], "buffers": []}

    def _view(self, data, target):
        while len(self.bin) % 4: self.bin.append(0)
        self.doc["bufferViews"].append({"buffer": 0, "byteOffset": len(self.bin), "byteLength": len(data), "target": target})
        self.bin += data
        return len(self.doc["bufferViews"]) - 1

    def _accessor(self, view, ctype, count, kind, lo=None, hi=None):
        a = {"bufferView": view, "componentType": ctype, "count": count, "type": kind}
        if lo is not None: a["min"], a["max"] = lo, hi
        self.doc["accessors"].append(a)
        return len(self.doc["accessors"]) - 1

    def mesh(self, positions, normals, triangles, color, name=None, translation=None, rotation=None):
        """Adds a mesh (lists of 3-tuples; triangles as index triples) at a node of the scene."""
        pos = b"".join(struct.pack("<3f", *p) for p in positions)
        nrm = b"".join(struct.pack("<3f", *n) for n in normals)
        flat = [i for t in triangles for i in t]
        idx = b"".join(struct.pack("<I", i) for i in flat)
        lo = [min(p[k] for p in positions) for k in range(3)]
        hi = [max(p[k] for p in positions) for k in range(3)]
        pa = self._accessor(self._view(pos, 34962), 5126, len(positions), "VEC3", lo, hi)
        na = self._accessor(self._view(nrm, 34962), 5126, len(normals), "VEC3")
        ia = self._accessor(self._view(idx, 34963), 5125, len(flat), "SCALAR")
        self.doc["materials"].append({"pbrMetallicRoughness": {"baseColorFactor": list(color), "metallicFactor": 0, "roughnessFactor": 0.8}})
        self.doc["meshes"].append({"primitives": [{"attributes": {"POSITION": pa, "NORMAL": na}, "indices": ia,
                                                   "material": len(self.doc["materials"]) - 1}]})
        node = {"mesh": len(self.doc["meshes"]) - 1}
        if name: node["name"] = name
        if translation: node["translation"] = list(translation)
        if rotation: node["rotation"] = list(rotation)
        self.doc["nodes"].append(node)
        self.doc["scenes"][0]["nodes"].append(len(self.doc["nodes"]) - 1)

    def glb(self):
        doc = dict(self.doc); doc["buffers"] = [{"byteLength": len(self.bin)}]
        js = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
        js += b" " * (-len(js) % 4)
        binary = bytes(self.bin) + b"\0" * (-len(self.bin) % 4)
        body = struct.pack("<II", len(js), 0x4E4F534A) + js + struct.pack("<II", len(binary), 0x004E4942) + binary
        return struct.pack("<III", 0x46546C67, 2, 12 + len(body)) + body

    def gltf(self):
        """The same scene as a .gltf whose buffer is a data: URI."""
        doc = dict(self.doc)
        doc["buffers"] = [{"byteLength": len(self.bin), "uri": "data:application/octet-stream;base64," + base64.b64encode(bytes(self.bin)).decode()}]
        return (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode()


def box(hx, hy, hz):
    """An axis-aligned box: 24 vertices (flat normals per face), 12 triangles."""
    pos, nrm, tri = [], [], []
    for axis in range(3):
        for sign in (1, -1):
            n = [0, 0, 0]; n[axis] = sign
            u, v = [(1, 2), (2, 0), (0, 1)][axis]
            base = len(pos)
            for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
                p = [0, 0, 0]; p[axis] = sign; p[u] = a; p[v] = b * sign
                pos.append((p[0] * hx, p[1] * hy, p[2] * hz)); nrm.append(tuple(n))
            tri += [(base, base + 1, base + 2), (base, base + 2, base + 3)]
    return pos, nrm, tri


# --- textures: TEXCOORD_0 and one PNG base-colour texture per material (optional) -------------

def png(width, height, rgba):
    """A stdlib PNG (8-bit RGBA, no filter, zlib level 9): `rgba` is bytes of width*height*4.
    Deterministic: no timestamp or text chunks."""
    import zlib
    assert len(rgba) == width * height * 4
    raw = b"".join(b"\0" + bytes(rgba[y * width * 4:(y + 1) * width * 4]) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _mesh_textured(self, positions, normals, triangles, color, name=None, translation=None, rotation=None,
                   uvs=None, texture=None, metallic=0, roughness=0.8):
    """`Scene.mesh` plus optional TEXCOORD_0 (`uvs`, 2-tuples) and a base-colour `texture` (PNG bytes,
    or the index returned for an earlier one); glTF multiplies the texture by `color`."""
    self.mesh(positions, normals, triangles, color, name, translation, rotation)
    mat = self.doc["materials"][-1]
    mat["pbrMetallicRoughness"]["metallicFactor"] = metallic
    mat["pbrMetallicRoughness"]["roughnessFactor"] = roughness
    if uvs is None:
        return None
    assert len(uvs) == len(positions)
    uv = b"".join(struct.pack("<2f", *t) for t in uvs)
    ua = self._accessor(self._view(uv, 34962), 5126, len(uvs), "VEC2")
    self.doc["meshes"][-1]["primitives"][0]["attributes"]["TEXCOORD_0"] = ua
    if texture is None:
        return None
    if isinstance(texture, int):
        t = texture
    else:
        for key in ("images", "textures", "samplers"): self.doc.setdefault(key, [])
        while len(self.bin) % 4: self.bin.append(0)
        self.doc["bufferViews"].append({"buffer": 0, "byteOffset": len(self.bin), "byteLength": len(texture)})
        self.bin += texture
        self.doc["images"].append({"bufferView": len(self.doc["bufferViews"]) - 1, "mimeType": "image/png"})
        if not self.doc["samplers"]:
            self.doc["samplers"].append({"magFilter": 9729, "minFilter": 9987, "wrapS": 10497, "wrapT": 10497})
        self.doc["textures"].append({"sampler": 0, "source": len(self.doc["images"]) - 1})
        t = len(self.doc["textures"]) - 1
    mat["pbrMetallicRoughness"]["baseColorTexture"] = {"index": t}
    return t


Scene.mesh_textured = _mesh_textured
