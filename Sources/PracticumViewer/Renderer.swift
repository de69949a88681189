// OpenGL 3.3 core renderer: lit meshes from a DrawList, then the HUD as 2-D quads.
//
// Lighting is Blinn-Phong (Blinn 1977) with a key and a fill light and two-sided normals
// (tissue sheets and planes are seen from both sides). Highlighted items pulse and get a
// Fresnel-like rim so they read as "this one" at a glance.
import CGL
import Foundation
import PracticumCore

/// GPU buffers of one mesh.
struct GPUMesh {
    var vao: GLuint = 0, vbo: GLuint = 0, ebo: GLuint = 0
    var indexCount: Int32 = 0
}

/// Owns GL objects; must be used on the thread that owns the context.
final class Renderer {
    let sceneProgram: GLuint
    let hudProgram: GLuint
    /// Scene uniform locations, looked up once (a string lookup per draw call adds up).
    let uModel: GLint, uViewProj: GLint, uNormal: GLint, uColor: GLint, uEye: GLint, uHighlight: GLint, uTime: GLint
    var meshes: [GeometryKey: GPUMesh] = [:]
    var hudVAO: GLuint = 0, hudVBO: GLuint = 0
    var fontTexture: GLuint = 0
    var font: FontAtlas
    /// Clear colour: a dim clinical blue-grey.
    let background = RGBA(0.16, 0.18, 0.21)

    init(font: FontAtlas) throws {
        self.font = font
        sceneProgram = try Renderer.program(vertex: Renderer.sceneVertex, fragment: Renderer.sceneFragment)
        hudProgram = try Renderer.program(vertex: Renderer.hudVertex, fragment: Renderer.hudFragment)
        let p = sceneProgram
        (uModel, uViewProj, uNormal, uColor) = (glGetUniformLocation(p, "uModel"), glGetUniformLocation(p, "uViewProj"),
                                                glGetUniformLocation(p, "uNormal"), glGetUniformLocation(p, "uColor"))
        (uEye, uHighlight, uTime) = (glGetUniformLocation(p, "uEye"), glGetUniformLocation(p, "uHighlight"), glGetUniformLocation(p, "uTime"))
        glGenVertexArrays(1, &hudVAO)
        glGenBuffers(1, &hudVBO)
        glBindVertexArray(hudVAO)
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), hudVBO)
        let stride = GLsizei(8 * MemoryLayout<Float>.stride)
        for (loc, count, offset) in [(0, 2, 0), (1, 2, 2), (2, 4, 4)] {
            glEnableVertexAttribArray(GLuint(loc))
            glVertexAttribPointer(GLuint(loc), GLint(count), GLenum(GL_FLOAT), GLboolean(GL_FALSE), stride,
                                  UnsafeRawPointer(bitPattern: offset * MemoryLayout<Float>.stride))
        }
        glBindVertexArray(0)
        glGenTextures(1, &fontTexture)
        glBindTexture(GLenum(GL_TEXTURE_2D), fontTexture)
        glPixelStorei(GLenum(GL_UNPACK_ALIGNMENT), 1)
        font.pixels.withUnsafeBytes {
            glTexImage2D(GLenum(GL_TEXTURE_2D), 0, GL_R8, GLsizei(font.width), GLsizei(font.height), 0, GLenum(GL_RED), GLenum(GL_UNSIGNED_BYTE), $0.baseAddress)
        }
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MIN_FILTER), GL_LINEAR)
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MAG_FILTER), GL_LINEAR)
        glEnable(GLenum(GL_MULTISAMPLE))
    }

    // MARK: frame

    func clear(width: Int, height: Int) {
        glViewport(0, 0, GLsizei(width), GLsizei(height))
        glClearColor(Float(background.r), Float(background.g), Float(background.b), 1)
        glClear(GLbitfield(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT))
    }

    /// Uploads what the list needs (new static meshes, this frame's tissue vertices).
    func prepare(_ list: DrawList) {
        for item in list.opaque + list.translucent {
            if meshes[item.geometry] == nil, let mesh = PrimitiveGeometry.mesh(for: item.geometry) { upload(mesh, key: item.geometry) }
        }
        for m in list.meshes where meshes[.mesh(id: m.id)] == nil { upload(m, key: .mesh(id: m.id)) }
        for d in list.dynamicMeshes {
            let normals = PrimitiveGeometry.smoothNormals(positions: d.positions, indices: d.indices)
            upload(TriangleMesh(id: d.id, positions: d.positions, normals: normals, indices: d.indices), key: .dynamic(id: d.id), dynamic: true)
        }
    }

    /// Draws the list into one eye's viewport; `time` (s) drives the highlight pulse.
    func draw(_ list: DrawList, eye: EyeView, time: Double) {
        let vp = eye.viewport
        glViewport(GLint(vp.x), GLint(vp.y), GLsizei(vp.width), GLsizei(vp.height))
        glEnable(GLenum(GL_DEPTH_TEST))
        glDisable(GLenum(GL_CULL_FACE))
        glUseProgram(sceneProgram)
        setMatrix(uViewProj, eye.viewProjection.floats)
        let e = eye.eye.position
        glUniform3f(uEye, Float(e.x), Float(e.y), Float(e.z))
        glUniform1f(uTime, Float(0.5 + 0.5 * sin(time.truncatingRemainder(dividingBy: 1000) * 5)))
        glDisable(GLenum(GL_BLEND))
        glDepthMask(GLboolean(GL_TRUE))
        for item in list.opaque { drawItem(item) }
        // translucent: blended, sorted back to front, not writing depth so regions never hide each other
        glEnable(GLenum(GL_BLEND))
        glBlendFunc(GLenum(GL_SRC_ALPHA), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        glDepthMask(GLboolean(GL_FALSE))
        for item in list.translucent { drawItem(item) }
        glDepthMask(GLboolean(GL_TRUE))
    }

    private func drawItem(_ item: DrawItem) {
        guard let mesh = meshes[item.geometry] else { return }
        setMatrix(uModel, item.model.floats)
        item.model.normalMatrix.withUnsafeBufferPointer {
            glUniformMatrix3fv(uNormal, 1, GLboolean(GL_FALSE), $0.baseAddress)
        }
        let c = item.color
        glUniform4f(uColor, Float(c.r), Float(c.g), Float(c.b), Float(c.a))
        glUniform1f(uHighlight, item.highlighted ? 1 : 0)
        glBindVertexArray(mesh.vao)
        glDrawElements(GLenum(GL_TRIANGLES), mesh.indexCount, GLenum(GL_UNSIGNED_INT), nil)
    }

    /// Draws HUD elements over `viewport` (pixel coordinates of the layout are relative to it).
    /// Triangles for HUD elements: x, y, u, v, r, g, b, a per vertex (u < 0: solid).
    func hudVertices(_ elements: [HUDElement]) -> [Float] {
        var vertices: [Float] = []
        vertices.reserveCapacity(elements.count * 48 * 8)
        for e in elements {
            switch e {
            case let .rect(x, y, w, h, color):
                appendQuad(x0: Float(x), y0: Float(y), x1: Float(x + w), y1: Float(y + h), color: color, to: &vertices)
            case let .text(x, y, text, size, color):
                font.appendQuads(text, x: x, y: y, size: size, color: color, to: &vertices)
            }
        }
        return vertices
    }

    /// Draws HUD triangles (from `hudVertices`) over `viewport`, whose top-left is the layout's origin.
    func drawHUD(_ vertices: [Float], viewport vp: Viewport) {
        guard !vertices.isEmpty else { return }
        glViewport(GLint(vp.x), GLint(vp.y), GLsizei(vp.width), GLsizei(vp.height))
        glDisable(GLenum(GL_DEPTH_TEST))
        glEnable(GLenum(GL_BLEND))
        glBlendFunc(GLenum(GL_SRC_ALPHA), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        glUseProgram(hudProgram)
        setMatrix(location(hudProgram, "uProj"), Mat4.orthographic(left: 0, right: Double(vp.width), bottom: Double(vp.height), top: 0).floats)
        glActiveTexture(GLenum(GL_TEXTURE0))
        glBindTexture(GLenum(GL_TEXTURE_2D), fontTexture)
        glUniform1i(location(hudProgram, "uTex"), 0)
        glBindVertexArray(hudVAO)
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), hudVBO)
        vertices.withUnsafeBytes {
            glBufferData(GLenum(GL_ARRAY_BUFFER), $0.count, $0.baseAddress, GLenum(GL_STREAM_DRAW))
        }
        glDrawArrays(GLenum(GL_TRIANGLES), 0, GLsizei(vertices.count / 8))
        glBindVertexArray(0)
        glEnable(GLenum(GL_DEPTH_TEST))
    }

    // MARK: buffers

    private func upload(_ mesh: TriangleMesh, key: GeometryKey, dynamic: Bool = false) {
        var gpu = meshes[key] ?? GPUMesh()
        let fresh = gpu.vao == 0
        if fresh {
            glGenVertexArrays(1, &gpu.vao); glGenBuffers(1, &gpu.vbo); glGenBuffers(1, &gpu.ebo)
        }
        let normals = mesh.normals.count == mesh.positions.count ? mesh.normals
            : PrimitiveGeometry.smoothNormals(positions: mesh.positions, indices: mesh.indices)
        var data = [Float](); data.reserveCapacity(mesh.positions.count * 6)
        for (p, n) in zip(mesh.positions, normals) { data += [Float(p.x), Float(p.y), Float(p.z), Float(n.x), Float(n.y), Float(n.z)] }
        glBindVertexArray(gpu.vao)
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), gpu.vbo)
        let usage = GLenum(dynamic ? GL_DYNAMIC_DRAW : GL_STATIC_DRAW)
        data.withUnsafeBytes { glBufferData(GLenum(GL_ARRAY_BUFFER), $0.count, $0.baseAddress, usage) }
        if fresh || Int(gpu.indexCount) != mesh.indices.count {
            glBindBuffer(GLenum(GL_ELEMENT_ARRAY_BUFFER), gpu.ebo)
            mesh.indices.withUnsafeBytes { glBufferData(GLenum(GL_ELEMENT_ARRAY_BUFFER), $0.count, $0.baseAddress, usage) }
            gpu.indexCount = Int32(mesh.indices.count)
        }
        if fresh {
            let stride = GLsizei(6 * MemoryLayout<Float>.stride)
            glEnableVertexAttribArray(0)
            glVertexAttribPointer(0, 3, GLenum(GL_FLOAT), GLboolean(GL_FALSE), stride, nil)
            glEnableVertexAttribArray(1)
            glVertexAttribPointer(1, 3, GLenum(GL_FLOAT), GLboolean(GL_FALSE), stride, UnsafeRawPointer(bitPattern: 3 * MemoryLayout<Float>.stride))
        }
        glBindVertexArray(0)
        meshes[key] = gpu
    }

    // MARK: shaders

    private func location(_ program: GLuint, _ name: String) -> GLint { glGetUniformLocation(program, name) }

    private func setMatrix(_ location: GLint, _ m: [Float]) {
        m.withUnsafeBufferPointer { glUniformMatrix4fv(location, 1, GLboolean(GL_FALSE), $0.baseAddress) }
    }

    static func program(vertex: String, fragment: String) throws -> GLuint {
        let vs = try compile(GLenum(GL_VERTEX_SHADER), vertex), fs = try compile(GLenum(GL_FRAGMENT_SHADER), fragment)
        let p = glCreateProgram()
        glAttachShader(p, vs); glAttachShader(p, fs)
        glLinkProgram(p)
        var ok: GLint = 0
        glGetProgramiv(p, GLenum(GL_LINK_STATUS), &ok)
        guard ok != 0 else { throw ViewerError.shader("link failed: " + log { glGetProgramInfoLog(p, 4096, nil, $0) }) }
        glDeleteShader(vs); glDeleteShader(fs)
        return p
    }

    static func compile(_ kind: GLenum, _ source: String) throws -> GLuint {
        let s = glCreateShader(kind)
        source.withCString { src in
            var ptr: UnsafePointer<GLchar>? = src
            glShaderSource(s, 1, &ptr, nil)
        }
        glCompileShader(s)
        var ok: GLint = 0
        glGetShaderiv(s, GLenum(GL_COMPILE_STATUS), &ok)
        guard ok != 0 else { throw ViewerError.shader("shader compile failed: " + log { glGetShaderInfoLog(s, 4096, nil, $0) }) }
        return s
    }

    private static func log(_ fill: (UnsafeMutablePointer<GLchar>) -> Void) -> String {
        var buf = [GLchar](repeating: 0, count: 4096)
        buf.withUnsafeMutableBufferPointer { fill($0.baseAddress!) }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static let sceneVertex = """
    #version 330 core
    layout(location = 0) in vec3 aPos;
    layout(location = 1) in vec3 aNormal;
    uniform mat4 uModel;
    uniform mat4 uViewProj;
    uniform mat3 uNormal;
    out vec3 vPos;
    out vec3 vNormal;
    void main() {
        vec4 world = uModel * vec4(aPos, 1.0);
        vPos = world.xyz;
        vNormal = uNormal * aNormal;
        gl_Position = uViewProj * world;
    }
    """

    // Written for software GL too (llvmpipe shades every fragment on the CPU): no branches, no
    // transcendental functions per fragment; the highlight pulse is computed once per frame.
    static let sceneFragment = """
    #version 330 core
    in vec3 vPos;
    in vec3 vNormal;
    uniform vec4 uColor;
    uniform vec3 uEye;
    uniform float uHighlight;   // 0 or 1
    uniform float uTime;        // highlight pulse, 0...1
    out vec4 fragColor;
    const vec3 key = vec3(0.2932, 0.8377, 0.4607);     // normalize(0.35, 1, 0.55)
    const vec3 fill = vec3(-0.7485, 0.4366, -0.4990);  // normalize(-0.6, 0.35, -0.4)
    void main() {
        vec3 n = normalize(vNormal);
        vec3 v = normalize(uEye - vPos);
        float ndv = dot(n, v);
        n *= sign(ndv + 1e-6);                              // two-sided
        ndv = abs(ndv);
        float diffuse = 0.8 * max(dot(n, key), 0.0) + 0.25 * max(dot(n, fill), 0.0);
        float hemi = 0.22 + 0.1 * n.y;                      // sky above, floor bounce below
        float spec = max(dot(n, normalize(key + v)), 0.0);
        spec *= spec; spec *= spec; spec *= spec; spec *= spec; spec *= spec;   // ^32
        vec3 c = uColor.rgb * (hemi + diffuse) + vec3(0.22) * spec;
        float rim = (1.0 - ndv) * (1.0 - ndv);
        c += uHighlight * (uColor.rgb * 0.25 * uTime + vec3(1.0, 0.9, 0.45) * rim * (0.35 + 0.35 * uTime));
        fragColor = vec4(c, uColor.a);
    }
    """

    static let hudVertex = """
    #version 330 core
    layout(location = 0) in vec2 aPos;
    layout(location = 1) in vec2 aUV;
    layout(location = 2) in vec4 aColor;
    uniform mat4 uProj;
    out vec2 vUV;
    out vec4 vColor;
    void main() { vUV = aUV; vColor = aColor; gl_Position = uProj * vec4(aPos, 0.0, 1.0); }
    """

    static let hudFragment = """
    #version 330 core
    in vec2 vUV;
    in vec4 vColor;
    uniform sampler2D uTex;
    out vec4 fragColor;
    void main() {
        float coverage = vUV.x < 0.0 ? 1.0 : texture(uTex, vUV).r;
        fragColor = vec4(vColor.rgb, vColor.a * coverage);
    }
    """
}
