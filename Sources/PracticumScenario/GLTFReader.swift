import Foundation
import PracticumCore
import PracticumScoring
import CStb

// A strict reader of the part of glTF 2.0 (Khronos, 2017) a scene needs: triangle meshes with
// positions, normals and indices, placed by the default scene's node tree, each primitive's base
// colour (times its COLOR_0) and one base-colour texture with its TEXCOORD_0; `.glb` (binary, one BIN chunk) and `.gltf` (JSON with buffers in files beside it or in
// `data:` URIs). Why not assimp or tinygltf: this is the loader's attack surface for files from
// anyone, so every count is checked against the bytes that back it before anything is allocated,
// every number is checked finite, and the result is the same on every machine; the subset is small
// enough (about 300 lines) to read in full, and it runs under libFuzzer beside the other parsers.
// Texture images (PNG or JPEG) are decoded by stb_image, built with only those two decoders and
// called only after its header check says the image fits `Limits.textureSize`; the fuzz target
// covers it. Skins, morph targets and animations are ignored; a file that needs them still draws
// its geometry in its colours.

/// Why a glTF file could not be read, in words a person can act on.
public struct GLTFError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads glTF 2.0 meshes into an `OBJModel` (all primitives of all placed meshes, in world units of the file).
package enum GLTFReader {
    /// The geometry, and how it looks.
    package struct Result: Sendable, Equatable {
        package var model: OBJModel
        package var look: MeshLook
        /// The base colour (RGBA 0…1) of the first material that gives one.
        package var baseColor: [Double]? { look.baseColor }
    }

    /// `bytes` of a `.glb` file (`binary`) or a `.gltf` file; `buffer(uri)` gives the bytes of an
    /// external buffer named by a relative `uri` (it confines the name), or throws.
    package static func read(_ bytes: [UInt8], binary: Bool, buffer: (String) throws(GLTFError) -> [UInt8]) throws(GLTFError) -> Result {
        var json: [UInt8], bin: [UInt8]? = nil
        if binary { (json, bin) = try chunks(bytes) } else { json = bytes }
        let doc: JSON
        do { doc = try JSON.parse(String(decoding: json, as: UTF8.self)) } catch {
            throw GLTFError("its JSON is malformed near byte \((error as? JSON.ParseError)?.offset ?? 0)")
        }
        guard case .object = doc else { throw GLTFError("its JSON is not an object") }
        guard case let .string(version)? = doc["asset"]?["version"], version.hasPrefix("2.") else {
            throw GLTFError("it is not glTF 2.0 (asset.version must be \"2.0\")")
        }
        var reader = Reader(doc: doc)
        reader.buffers = try list(doc, "buffers").enumerated().map { (i, b) throws(GLTFError) in
            let length = try reader.int(b, "byteLength", "buffers[\(i)]", max: Limits.meshBytes)
            let data: [UInt8]
            if case let .string(uri)? = b["uri"] {
                data = try uri.hasPrefix("data:") ? dataURI(uri, "buffers[\(i)]") : buffer(uri)
            } else if binary, i == 0, let bin {
                data = bin
            } else {
                throw GLTFError("buffers[\(i)] has no data: give a 'uri', or put it in the .glb's BIN chunk")
            }
            guard data.count >= length else { throw GLTFError("buffers[\(i)] says \(length) bytes but holds \(data.count)") }
            return Array(data.prefix(length))
        }
        // images named by a URI are fetched here, where the confining `buffer` is at hand
        for (i, image) in list(doc, "images").enumerated() {
            guard case let .string(uri)? = image["uri"] else { continue }
            reader.imageFiles[i] = try uri.hasPrefix("data:") ? dataURI(uri, "images[\(i)]") : buffer(uri)
        }
        return try reader.meshes()
    }

    /// The bytes of a base64 `data:` URI.
    static func dataURI(_ uri: String, _ path: String) throws(GLTFError) -> [UInt8] {
        guard let comma = uri.firstIndex(of: ","), uri[..<comma].hasSuffix(";base64"),
              let d = Data(base64Encoded: String(uri[uri.index(after: comma)...])) else {
            throw GLTFError("\(path): a data URI must be base64 (data:…;base64,…)")
        }
        return [UInt8](d)
    }

    /// The JSON and BIN chunks of a `.glb`: a 12-byte header, then chunks of (length, type, bytes).
    static func chunks(_ b: [UInt8]) throws(GLTFError) -> ([UInt8], [UInt8]?) {
        func u32(_ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24 }
        guard b.count >= 12, u32(0) == 0x4654_6C67 else { throw GLTFError("it is not a binary glTF file (no 'glTF' header)") }
        guard u32(4) == 2 else { throw GLTFError("it is binary glTF version \(u32(4)); this reads version 2") }
        guard u32(8) <= b.count else { throw GLTFError("it is cut short: its header says \(u32(8)) bytes, the file has \(b.count)") }
        var at = 12, json: [UInt8]?, bin: [UInt8]?
        while at + 8 <= u32(8) {
            let length = u32(at), type = u32(at + 4)
            guard length <= u32(8) - at - 8 else { throw GLTFError("chunk at byte \(at) runs past the end of the file") }
            let body = Array(b[(at + 8)..<(at + 8 + length)])
            if type == 0x4E4F_534A, json == nil { json = body } else if type == 0x004E_4942, bin == nil { bin = body }
            at += 8 + length
        }
        guard let json else { throw GLTFError("it has no JSON chunk") }
        return (json, bin)
    }

    static func list(_ v: JSON, _ key: String) -> [JSON] { if case let .array(a)? = v[key] { a } else { [] } }

    struct Reader {
        let doc: JSON
        var buffers: [[UInt8]] = []
        var out = OBJModel()
        /// glTF materials are single-sided unless they say otherwise (so is the default material)
        var look: MeshLook = { var l = MeshLook(); l.doubleSided = false; return l }()
        /// The bytes of each image given by a `uri`, by image index.
        var imageFiles: [Int: [UInt8]] = [:]
        /// The texture the mesh uses (the first one a primitive names), once decoded.
        var textureIndex: Int?

        func int(_ v: JSON, _ key: String, _ path: String, max: Int, default d: Int? = nil) throws(GLTFError) -> Int {
            switch v[key] {
            case let .int(i)? where i >= 0 && i <= max: return i
            case let .number(x)? where x >= 0 && x <= Double(max) && x == x.rounded(): return Int(x)
            case nil: if let d { return d }; throw GLTFError("\(path) has no '\(key)'")
            default: throw GLTFError("\(path).\(key) must be a whole number from 0 to \(max)")
            }
        }

        func element(_ key: String, _ index: Int, _ path: String) throws(GLTFError) -> JSON {
            let items = GLTFReader.list(doc, key)
            guard index < items.count else { throw GLTFError("\(path) refers to \(key)[\(index)], and there are \(items.count)") }
            return items[index]
        }

        /// The default scene's nodes, each mesh placed by its node's world transform.
        mutating func meshes() throws(GLTFError) -> Result {
            let scenes = GLTFReader.list(doc, "scenes")
            if scenes.isEmpty {
                for i in GLTFReader.list(doc, "meshes").indices { try mesh(i, Transform.identity, "meshes[\(i)]") }
            } else {
                let s = try int(doc, "scene", "the file", max: scenes.count - 1, default: 0)
                var visited = Set<Int>()
                for case let .int(n) in GLTFReader.list(scenes[s], "nodes") { try node(n, .identity, depth: 0, &visited) }
            }
            guard out.corners.count / 3 <= Limits.meshTriangles else { throw GLTFError("it has more than \(Limits.meshTriangles) triangles") }
            return Result(model: out, look: look)
        }

        mutating func node(_ n: Int, _ parent: Transform, depth: Int, _ visited: inout Set<Int>) throws(GLTFError) {
            let path = "nodes[\(n)]"
            guard depth < Limits.gltfNodeDepth, visited.insert(n).inserted else { throw GLTFError("\(path): the node tree loops or is nested deeper than \(Limits.gltfNodeDepth)") }
            let v = try element("nodes", n, path)
            let t = parent * (try Transform(v, path))
            if v["mesh"] != nil { try mesh(try int(v, "mesh", path, max: Int(Int32.max)), t, path) }
            for case let .int(c) in GLTFReader.list(v, "children") { try node(c, t, depth: depth + 1, &visited) }
        }

        mutating func mesh(_ m: Int, _ t: Transform, _ path: String) throws(GLTFError) {
            let mv = try element("meshes", m, path)
            for (pi, p) in GLTFReader.list(mv, "primitives").enumerated() {
                let pp = "meshes[\(m)].primitives[\(pi)]"
                guard try int(p, "mode", pp, max: 6, default: 4) == 4 else { throw GLTFError("\(pp): only triangles (mode 4) can be drawn and collided") }
                guard let attributes = p["attributes"], attributes["POSITION"] != nil else { throw GLTFError("\(pp) has no POSITION attribute") }
                let positions = try vec3s(try int(attributes, "POSITION", pp, max: Int(Int32.max)), "\(pp).POSITION")
                let normals = attributes["NORMAL"] == nil ? [] : try vec3s(try int(attributes, "NORMAL", pp, max: Int(Int32.max)), "\(pp).NORMAL")
                guard normals.isEmpty || normals.count == positions.count else { throw GLTFError("\(pp): NORMAL and POSITION differ in count") }
                let indices = p["indices"] == nil ? Array(positions.indices) : try scalars(try int(p, "indices", pp, max: Int(Int32.max)), "\(pp).indices")
                guard indices.count % 3 == 0 else { throw GLTFError("\(pp): \(indices.count) indices do not make whole triangles") }
                guard out.positions.count + positions.count <= Limits.meshVertices else { throw GLTFError("it has more than \(Limits.meshVertices) vertices") }
                let base = out.positions.count, nbase = out.normals.count
                for i in indices where i >= positions.count { throw GLTFError("\(pp): index \(i) is past the \(positions.count) vertices") }
                out.positions += positions.map(t.point)
                out.normals += normals.map { t.direction($0).normalized }
                out.corners += indices.map { OBJModel.Corner(position: base + $0, normal: normals.isEmpty ? nil : nbase + $0) }
                try appearance(p, attributes, count: positions.count, pp)
            }
        }

        /// Colours and texture coordinates for one primitive's vertices: its material's base colour
        /// times COLOR_0, and TEXCOORD_0 where the material has the mesh's texture.
        mutating func appearance(_ p: JSON, _ attributes: JSON, count: Int, _ pp: String) throws(GLTFError) {
            var base: [Double] = [1, 1, 1, 1]
            var textured = false
            if p["material"] != nil {
                let mat = try element("materials", try int(p, "material", pp, max: Int(Int32.max)), pp)
                if case .bool(true)? = mat["doubleSided"] { look.doubleSided = true }
                let pbr = mat["pbrMetallicRoughness"]
                if case let .array(c)? = pbr?["baseColorFactor"], c.count == 4 {
                    let rgba = c.compactMap(number)
                    if rgba.count == 4, rgba.allSatisfy({ $0 >= 0 && $0 <= 1 }) {
                        base = rgba
                        if look.baseColor == nil { look.baseColor = rgba }
                    }
                }
                if let info = pbr?["baseColorTexture"] {
                    let t = try int(info, "index", "\(pp): its material's baseColorTexture", max: Int(Int32.max))
                    guard try int(info, "texCoord", "\(pp): its material's baseColorTexture", max: 0, default: 0) == 0 else {
                        throw GLTFError("\(pp): only TEXCOORD_0 can carry a texture")
                    }
                    if textureIndex == nil { look.texture = try texture(t, pp); textureIndex = t }
                    textured = textureIndex == t
                }
            }
            var colors = Array(repeating: base.map(Float.init), count: count)
            if attributes["COLOR_0"] != nil {
                let c = try floats(try int(attributes, "COLOR_0", pp, max: Int(Int32.max)), "\(pp).COLOR_0", types: ["VEC3": 3, "VEC4": 4])
                guard c.count == count else { throw GLTFError("\(pp): COLOR_0 and POSITION differ in count") }
                for i in 0..<count { for k in c[i].indices { colors[i][k] *= min(max(c[i][k], 0), 1) } }
            }
            look.colors += colors.map { SIMD4($0[0], $0[1], $0[2], $0[3]) }
            if textured, attributes["TEXCOORD_0"] != nil {
                let uv = try floats(try int(attributes, "TEXCOORD_0", pp, max: Int(Int32.max)), "\(pp).TEXCOORD_0", types: ["VEC2": 2])
                guard uv.count == count else { throw GLTFError("\(pp): TEXCOORD_0 and POSITION differ in count") }
                for (i, t) in uv.enumerated() where !(abs(t[0]) <= 1e4 && abs(t[1]) <= 1e4) {
                    throw GLTFError("\(pp).TEXCOORD_0: coordinate \(i) is not a finite number up to 10000")
                }
                look.uvs += uv.map { SIMD3($0[0], $0[1], 1) }
            } else {
                // w = 0: this vertex is not textured
                look.uvs += Array(repeating: SIMD3<Float>(0, 0, 0), count: count)
            }
        }

        /// Decodes `textures[t]`'s image (PNG or JPEG, from a buffer view, a data URI or a file
        /// beside the `.gltf`) to RGBA8, refusing images larger than `Limits.textureSize` per side.
        func texture(_ t: Int, _ pp: String) throws(GLTFError) -> MeshTexture {
            let tex = try element("textures", t, pp)
            let imageIndex = try int(tex, "source", "textures[\(t)]", max: Int(Int32.max))
            let image = try element("images", imageIndex, "textures[\(t)]")
            let ip = "images[\(imageIndex)]"
            var bytes: [UInt8]
            if image["bufferView"] != nil {
                let v = try int(image, "bufferView", ip, max: Int(Int32.max))
                let view = try element("bufferViews", v, ip)
                let b = try int(view, "buffer", "bufferViews[\(v)]", max: Int(Int32.max))
                guard b < buffers.count else { throw GLTFError("bufferViews[\(v)] refers to buffers[\(b)], and there are \(buffers.count)") }
                let offset = try int(view, "byteOffset", "bufferViews[\(v)]", max: buffers[b].count, default: 0)
                let length = try int(view, "byteLength", "bufferViews[\(v)]", max: buffers[b].count - offset)
                bytes = Array(buffers[b][offset..<(offset + length)])
            } else if let file = imageFiles[imageIndex] {
                bytes = file
            } else {
                throw GLTFError("\(ip) has neither a bufferView nor a uri")
            }
            guard bytes.count <= Limits.meshBytes, bytes.count < Int(Int32.max) else { throw GLTFError("\(ip) is larger than \(Limits.meshBytes) bytes") }
            let isPNG = bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), isJPEG = bytes.starts(with: [0xFF, 0xD8, 0xFF])
            guard isPNG || isJPEG else { throw GLTFError("\(ip) is neither a PNG nor a JPEG image") }
            var w: Int32 = 0, h: Int32 = 0, n: Int32 = 0
            guard stbi_info_from_memory(bytes, Int32(bytes.count), &w, &h, &n) != 0 else { throw GLTFError("\(ip) is a damaged image (its header cannot be read)") }
            guard w > 0, h > 0, w <= Limits.textureSize, h <= Limits.textureSize else {
                throw GLTFError("\(ip) is \(w)×\(h) pixels; textures are limited to \(Limits.textureSize)×\(Limits.textureSize)")
            }
            guard let pixels = stbi_load_from_memory(bytes, Int32(bytes.count), &w, &h, &n, 4) else {
                throw GLTFError("\(ip) is a damaged image (it cannot be decoded)")
            }
            defer { stbi_image_free(pixels) }
            bytes = Array(UnsafeBufferPointer(start: pixels, count: Int(w) * Int(h) * 4))
            return MeshTexture(width: Int(w), height: Int(h), rgba: bytes)
        }

        func number(_ v: JSON) -> Double? { switch v { case let .int(i): Double(i); case let .number(x): x; default: nil } }

        /// The bytes of each element of an accessor, checked against its buffer view and buffer.
        func elements(_ a: Int, _ path: String, types: [String: Int], components: [Int]) throws(GLTFError) -> (bytes: [UInt8], offsets: StrideTo<Int>, component: Int, count: Int, width: Int) {
            let acc = try element("accessors", a, path)
            guard case let .string(t)? = acc["type"], let width = types[t] else {
                throw GLTFError("\(path): accessor \(a) must be a \(types.keys.sorted().joined(separator: " or "))")
            }
            let ct = try int(acc, "componentType", "accessors[\(a)]", max: 6000)
            guard components.contains(ct) else { throw GLTFError("\(path): accessor \(a) has component type \(ct), expected \(components.map(String.init).joined(separator: " or "))") }
            let count = try int(acc, "count", "accessors[\(a)]", max: Limits.meshTriangles * 3)
            guard acc["sparse"] == nil else { throw GLTFError("\(path): sparse accessors are not read") }
            let viewIndex = try int(acc, "bufferView", "accessors[\(a)]", max: Int(Int32.max))
            let view = try element("bufferViews", viewIndex, "accessors[\(a)]")
            let bufferIndex = try int(view, "buffer", "bufferViews[\(viewIndex)]", max: Int(Int32.max))
            guard bufferIndex < buffers.count else { throw GLTFError("bufferViews[\(viewIndex)] refers to buffers[\(bufferIndex)], and there are \(buffers.count)") }
            let buffer = buffers[bufferIndex]
            let viewOffset = try int(view, "byteOffset", "bufferViews[\(viewIndex)]", max: buffer.count, default: 0)
            let viewLength = try int(view, "byteLength", "bufferViews[\(viewIndex)]", max: buffer.count - viewOffset)
            let size = [5121: 1, 5123: 2, 5125: 4, 5126: 4][ct]! * width
            let stride = try int(view, "byteStride", "bufferViews[\(viewIndex)]", max: 252, default: size)
            guard stride >= size else { throw GLTFError("bufferViews[\(viewIndex)]: byteStride \(stride) is less than an element (\(size) bytes)") }
            let offset = try int(acc, "byteOffset", "accessors[\(a)]", max: viewLength, default: 0)
            guard count == 0 || offset + (count - 1) * stride + size <= viewLength else {
                throw GLTFError("\(path): accessor \(a) needs more bytes than its buffer view holds")
            }
            let start = viewOffset + offset
            return (buffer, Swift.stride(from: start, to: start + count * stride, by: stride), ct, count, width)
        }

        func vec3s(_ a: Int, _ path: String) throws(GLTFError) -> [Vec3] {
            let e = try elements(a, path, types: ["VEC3": 3], components: [5126])
            var out: [Vec3] = []
            out.reserveCapacity(e.count)
            for o in e.offsets {
                let v = Vec3(float(e.bytes, o), float(e.bytes, o + 4), float(e.bytes, o + 8))
                guard v.isFinite else { throw GLTFError("\(path): vertex \(out.count) is not a finite number") }
                out.append(v)
            }
            return out
        }

        /// Float vectors of any of `types` (type name → components), each checked finite.
        func floats(_ a: Int, _ path: String, types: [String: Int]) throws(GLTFError) -> [[Float]] {
            let e = try elements(a, path, types: types, components: [5126])
            var out: [[Float]] = []
            out.reserveCapacity(e.count)
            for o in e.offsets {
                let v = (0..<e.width).map { Float(float(e.bytes, o + 4 * $0)) }
                guard v.allSatisfy(\.isFinite) else { throw GLTFError("\(path): element \(out.count) is not a finite number") }
                out.append(v)
            }
            return out
        }

        func scalars(_ a: Int, _ path: String) throws(GLTFError) -> [Int] {
            let e = try elements(a, path, types: ["SCALAR": 1], components: [5121, 5123, 5125])
            return e.offsets.map { o in
                switch e.component {
                case 5121: Int(e.bytes[o])
                case 5123: Int(e.bytes[o]) | Int(e.bytes[o + 1]) << 8
                default: Int(e.bytes[o]) | Int(e.bytes[o + 1]) << 8 | Int(e.bytes[o + 2]) << 16 | Int(e.bytes[o + 3]) << 24
                }
            }
        }

        func float(_ b: [UInt8], _ o: Int) -> Double {
            Double(Float(bitPattern: UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24))
        }
    }

    /// A node's placement: a 3×3 linear part (rotation × scale, columns) and a translation.
    struct Transform {
        var c0 = Vec3(1, 0, 0), c1 = Vec3(0, 1, 0), c2 = Vec3(0, 0, 1), t = Vec3.zero
        static let identity = Transform()

        init() {}

        init(_ node: JSON, _ path: String) throws(GLTFError) {
            func numbers(_ key: String, _ n: Int) throws(GLTFError) -> [Double]? {
                guard let v = node[key] else { return nil }
                guard case let .array(items) = v else { throw GLTFError("\(path).\(key) must be a list of \(n) numbers") }
                let xs = items.compactMap { x -> Double? in switch x { case let .int(i): Double(i); case let .number(d): d; default: nil } }
                guard xs.count == n, xs.allSatisfy({ $0.isFinite && abs($0) <= 1e6 }) else { throw GLTFError("\(path).\(key) must be a list of \(n) finite numbers") }
                return xs
            }
            if let m = try numbers("matrix", 16) {
                c0 = Vec3(m[0], m[1], m[2]); c1 = Vec3(m[4], m[5], m[6]); c2 = Vec3(m[8], m[9], m[10]); t = Vec3(m[12], m[13], m[14])
                return
            }
            let q = try numbers("rotation", 4).map { Quat(w: $0[3], x: $0[0], y: $0[1], z: $0[2]).normalized } ?? .identity
            let s = try numbers("scale", 3).map { Vec3($0[0], $0[1], $0[2]) } ?? Vec3(1, 1, 1)
            c0 = q.rotate(Vec3(s.x, 0, 0)); c1 = q.rotate(Vec3(0, s.y, 0)); c2 = q.rotate(Vec3(0, 0, s.z))
            t = try numbers("translation", 3).map { Vec3($0[0], $0[1], $0[2]) } ?? .zero
        }

        func direction(_ v: Vec3) -> Vec3 { c0 * v.x + c1 * v.y + c2 * v.z }
        func point(_ p: Vec3) -> Vec3 { direction(p) + t }
        static func * (a: Transform, b: Transform) -> Transform {
            var r = Transform()
            r.c0 = a.direction(b.c0); r.c1 = a.direction(b.c1); r.c2 = a.direction(b.c2); r.t = a.point(b.t)
            return r
        }
    }
}
