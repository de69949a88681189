// OpenGL 3.3 core renderer: lit meshes from a DrawList, then the HUD as 2-D quads.
//
// Lighting is Blinn-Phong (Blinn 1977) with a key and a fill light (ambient and diffuse per vertex, the
// specular highlight per pixel) and two-sided normals
// (tissue sheets and planes are seen from both sides). Highlighted items pulse and get a
// Fresnel-like rim so they read as "this one" at a glance.
//
// Multisampling covers the 3-D scene only: it is drawn (every eye) into a multisampled
// framebuffer object, resolved with one glBlitFramebuffer into the single-sampled window, and the
// HUD is drawn on top single-sampled. A multisampled window would also clear, blend and resolve
// every HUD glyph per sample; on software GL (llvmpipe) that doubled the frame time. The sample count
// can change between frames (adaptive multisampling, `MultisampleGovernor`): with none, the scene is
// drawn straight into the window.
import CGL
import Foundation
import PracticumCore
import PracticumScenario

/// GPU buffers of one mesh.
struct GPUMesh {
    var vao: GLuint = 0, vbo: GLuint = 0, ebo: GLuint = 0
    var indexCount: Int32 = 0
    /// Its base-colour texture (0: none).
    var texture: GLuint = 0
}

/// A vertex buffer of screen-space quads (x, y, u, v, r, g, b, a per corner) with its vertex array.
struct QuadBuffer {
    var vao: GLuint = 0, vbo: GLuint = 0
    var quads = 0
}

/// The HUD drawn once into a texture (premultiplied alpha) of one eye's viewport size.
struct HUDLayer {
    var fbo: GLuint = 0, texture: GLuint = 0
    var width = 0, height = 0
}

/// The multisampled colour and depth renderbuffers the 3-D scene is drawn into.
struct SceneTarget {
    var fbo: GLuint = 0, color: GLuint = 0, depth: GLuint = 0
    var width = 0, height = 0
    /// Samples per pixel the driver actually allocated (may exceed the request, e.g. 2 → 4 on llvmpipe).
    var samples = 0
    /// Samples per pixel requested when the buffers were allocated.
    var requested = 0
}

/// One variant of the scene program and its uniform locations, looked up once (a string lookup per draw
/// call adds up). The variants share the vertex shader and differ in what the fragment shader computes:
/// software GL runs the fragment shader for every pixel of both eyes, so a draw pays only for the parts it
/// uses (a base-colour texture; the highlight's pulse and rim).
struct SceneShader {
    let program: GLuint
    let uModel: GLint, uViewProj: GLint, uNormal: GLint, uColor: GLint, uEye: GLint, uHighlight: GLint, uTime: GLint, uAlbedo: GLint

    /// The variant's index in `Renderer.sceneShaders`: bit 0 textured, bit 1 highlighted.
    static func index(textured: Bool, highlighted: Bool) -> Int { (textured ? 1 : 0) | (highlighted ? 2 : 0) }

    /// Compiles and links variant `index`.
    init(index: Int) throws {
        var defines = ""
        if index & 1 != 0 { defines += "#define TEXTURED\n" }
        if index & 2 != 0 { defines += "#define HIGHLIGHT\n" }
        let p = try Renderer.program(vertex: Renderer.sceneVertex, fragment: "#version 330 core\n" + defines + Renderer.sceneFragment)
        program = p
        (uModel, uViewProj, uNormal, uColor) = (glGetUniformLocation(p, "uModel"), glGetUniformLocation(p, "uViewProj"),
                                                glGetUniformLocation(p, "uNormal"), glGetUniformLocation(p, "uColor"))
        (uEye, uHighlight, uTime, uAlbedo) = (glGetUniformLocation(p, "uEye"), glGetUniformLocation(p, "uHighlight"),
                                              glGetUniformLocation(p, "uTime"), glGetUniformLocation(p, "uAlbedo"))
    }
}

/// Owns GL objects; must be used on the thread that owns the context.
final class Renderer {
    /// The scene program's variants, by `SceneShader.index`.
    let sceneShaders: [SceneShader]
    let hudProgram: GLuint
    let uProj: GLint, uTex: GLint
    var meshes: [GeometryKey: GPUMesh] = [:]
    /// The HUD shared by every eye: its glyph and panel quads (uploaded when the layout changes), the texture
    /// they are drawn into then, and the quads that composite that texture into each eye; plus this eye's
    /// name tags (uploaded per eye). All are quads drawn through one shared index buffer.
    var hud = QuadBuffer(), hudComposite = QuadBuffer(), labels = QuadBuffer()
    var hudLayer = HUDLayer()
    let compositeProgram: GLuint
    let uCompositeProj: GLint, uCompositeTex: GLint
    var quadEBO: GLuint = 0
    /// Quads the shared index buffer currently covers (it grows by doubling).
    var quadCapacity = 0
    /// Per-item uniforms of the current draw list (model 16, normal 9, colour 4, highlight 1), computed
    /// once per frame and used by every eye; the storage is kept between frames.
    private var itemUniforms: [Float] = []
    private var labelVertices: [Float] = []
    static let uniformsPerItem = 30
    var fontTexture: GLuint = 0
    var font: FontAtlas
    /// Clear colour: a dim clinical blue-grey.
    let background = RGBA(0.16, 0.18, 0.21)
    /// GL_MAX_SAMPLES: the most samples per pixel the driver offers.
    let maxSamples: Int
    /// MSAA samples requested for the scene, clamped to `maxSamples`; 0 draws straight into the window.
    /// Set between frames (`MultisampleGovernor`); the buffers follow at the next `beginScene`.
    var requestedSamples: Int {
        didSet {
            requestedSamples = max(0, min(requestedSamples, maxSamples))
            if requestedSamples != oldValue { depthReadyFor = nil }   // another depth buffer: clear it before use
        }
    }
    /// Samples per pixel the scene is drawn with now (what the driver allocated; 0: multisampling off).
    var activeSamples: Int { requestedSamples > 0 ? sceneTarget?.samples ?? 0 : 0 }
    /// The multisampled scene buffers (nil until multisampling is first used), sized to the window.
    private(set) var sceneTarget: SceneTarget?
    /// The size the scene's depth buffer was last cleared at (nil: it must be cleared), and which half of
    /// the depth range the current frame uses (see `beginScene`).
    private var depthReadyFor: (Int, Int)?
    private var oddFrame = false
    private var resolveChecked = false

    /// `samples`: MSAA samples per pixel for the 3-D scene (0 = off).
    init(font: FontAtlas, samples: Int) throws {
        self.font = font
        var maxSamples: GLint = 0
        glGetIntegerv(GLenum(GL_MAX_SAMPLES), &maxSamples)
        self.maxSamples = Int(maxSamples)
        requestedSamples = max(0, min(samples, Int(maxSamples)))
        sceneShaders = try (0..<4).map { try SceneShader(index: $0) }
        hudProgram = try Renderer.program(vertex: Renderer.hudVertex, fragment: Renderer.hudFragment)
        (uProj, uTex) = (glGetUniformLocation(hudProgram, "uProj"), glGetUniformLocation(hudProgram, "uTex"))
        compositeProgram = try Renderer.program(vertex: Renderer.hudVertex, fragment: Renderer.compositeFragment)
        (uCompositeProj, uCompositeTex) = (glGetUniformLocation(compositeProgram, "uProj"), glGetUniformLocation(compositeProgram, "uTex"))
        glGenBuffers(1, &quadEBO)
        hud = makeQuadBuffer()
        hudComposite = makeQuadBuffer()
        labels = makeQuadBuffer()
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

    /// Binds where the 3-D scene is drawn (the multisampled target, or the window without MSAA), clears its
    /// colour and sets up the depth test for this frame.
    ///
    /// The depth buffer is not cleared each frame (on software GL a clear writes every sample): frames
    /// alternate between depth range 0...0.5 with GL_LESS and 1...0.5 with GL_GREATER, so whatever the
    /// previous frame left lies behind everything drawn now (the "depth range trick" of early software
    /// renderers). It costs one bit of depth precision; the buffer is cleared only when it is new.
    func beginScene(width: Int, height: Int) throws {
        if requestedSamples > 0 {
            if sceneTarget == nil || sceneTarget!.width != width || sceneTarget!.height != height || sceneTarget!.requested != requestedSamples {
                try makeSceneTarget(width: width, height: height)
                depthReadyFor = nil
            }
            glBindFramebuffer(GLenum(GL_FRAMEBUFFER), sceneTarget!.fbo)
        } else {
            glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
        }
        glViewport(0, 0, GLsizei(width), GLsizei(height))
        glClearColor(Float(background.r), Float(background.g), Float(background.b), 1)
        var buffers = GL_COLOR_BUFFER_BIT
        if depthReadyFor == nil || depthReadyFor! != (width, height) {
            glClearDepth(1)
            buffers |= GL_DEPTH_BUFFER_BIT
            depthReadyFor = (width, height)
            oddFrame = true   // the next frame is even: 0...0.5, nearer than the cleared 1
        }
        // all of it: a scissored clear of just the regions resolved later was slower on llvmpipe (drawn as a quad)
        glClear(GLbitfield(buffers))
        oddFrame.toggle()
        if oddFrame {
            glDepthRange(1, 0.5); glDepthFunc(GLenum(GL_GREATER))
        } else {
            glDepthRange(0, 0.5); glDepthFunc(GLenum(GL_LESS))
        }
    }

    /// Resolves the multisampled scene into the window; what is drawn next (the HUD) goes to the window
    /// single-sampled. Only `regions` are resolved (for each eye the part its geometry can cover,
    /// `DrawList.screenRect`, nil when nothing is in view, beside the eye's viewport): a resolve reads
    /// every sample, and where nothing was drawn they all hold the background colour, so the window is
    /// cleared to it instead when the regions leave part of an eye uncovered. The first resolve is checked:
    /// a driver that refuses it (GL 3.3 allows refusing a resolve into a window of another colour format)
    /// stops the viewer with a message instead of showing a black scene.
    func endScene(regions: [(rect: Viewport?, viewport: Viewport)]) throws {
        guard requestedSamples > 0, let t = sceneTarget else { return }
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), t.fbo)
        glBindFramebuffer(GLenum(GL_DRAW_FRAMEBUFFER), 0)
        if regions.contains(where: { $0.rect != $0.viewport }) {
            glClearColor(Float(background.r), Float(background.g), Float(background.b), 1)
            glClear(GLbitfield(GL_COLOR_BUFFER_BIT))
        }
        for case let r? in regions.map(\.rect) {
            let (x0, y0, x1, y1) = (GLint(r.x), GLint(r.y), GLint(r.x + r.width), GLint(r.y + r.height))
            glBlitFramebuffer(x0, y0, x1, y1, x0, y0, x1, y1, GLbitfield(GL_COLOR_BUFFER_BIT), GLenum(GL_NEAREST))
        }
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
        if !resolveChecked {
            resolveChecked = true
            let error = glGetError()
            guard error == GLenum(GL_NO_ERROR) else {
                throw ViewerError.window(String(format: "resolving the multisampled scene failed (GL error 0x%04x); try --msaa 0", error))
            }
        }
    }

    /// (Re)allocates the multisampled colour (RGBA8) and depth (24-bit) renderbuffers.
    private func makeSceneTarget(width: Int, height: Int) throws {
        var t = sceneTarget ?? SceneTarget()
        if t.fbo == 0 { glGenFramebuffers(1, &t.fbo); glGenRenderbuffers(1, &t.color); glGenRenderbuffers(1, &t.depth) }
        let n = GLsizei(requestedSamples)
        for (buffer, format, attachment) in [(t.color, GL_RGBA8, GL_COLOR_ATTACHMENT0), (t.depth, GL_DEPTH_COMPONENT24, GL_DEPTH_ATTACHMENT)] {
            glBindRenderbuffer(GLenum(GL_RENDERBUFFER), buffer)
            glRenderbufferStorageMultisample(GLenum(GL_RENDERBUFFER), n, GLenum(format), GLsizei(width), GLsizei(height))
            glBindFramebuffer(GLenum(GL_FRAMEBUFFER), t.fbo)
            glFramebufferRenderbuffer(GLenum(GL_FRAMEBUFFER), GLenum(attachment), GLenum(GL_RENDERBUFFER), buffer)
        }
        glBindRenderbuffer(GLenum(GL_RENDERBUFFER), 0)
        let status = glCheckFramebufferStatus(GLenum(GL_FRAMEBUFFER))
        var samples: GLint = 0
        glGetIntegerv(GLenum(GL_SAMPLES), &samples)
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
        guard status == GLenum(GL_FRAMEBUFFER_COMPLETE) else {
            throw ViewerError.window(String(format: "the %d× multisampled scene framebuffer is incomplete (status 0x%04x); try --msaa 0", requestedSamples, status))
        }
        (t.width, t.height, t.samples, t.requested) = (width, height, Int(samples), requestedSamples)
        sceneTarget = t
    }

    /// Uploads what the list needs (new static meshes, this frame's tissue vertices).
    func prepare(_ list: DrawList) {
        itemUniforms.removeAll(keepingCapacity: true)
        for items in [list.opaque, list.translucent] {
            for item in items {
                if meshes[item.geometry] == nil, let mesh = PrimitiveGeometry.mesh(for: item.geometry) { upload(mesh, key: item.geometry) }
                item.model.appendFloats(to: &itemUniforms)
                item.model.appendNormalMatrix(to: &itemUniforms)
                let c = item.color
                itemUniforms.append(Float(c.r)); itemUniforms.append(Float(c.g)); itemUniforms.append(Float(c.b))
                itemUniforms.append(Float(c.a)); itemUniforms.append(item.graspCue ? 2 : item.highlighted ? 1 : 0)
            }
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
        glCullFace(GLenum(GL_BACK))
        let viewProjection = eye.viewProjection.floats, e = eye.eye.position
        let pulse = Float(0.5 + 0.5 * sin(time.truncatingRemainder(dividingBy: 1000) * 5))
        // the variant each item needs; a variant's per-eye uniforms are set when it is first used for this eye
        var current = -1, ready = [Bool](repeating: false, count: sceneShaders.count), boundTexture: GLuint = 0
        func use(_ item: DrawItem) -> SceneShader {
            let t = meshes[item.geometry]?.texture ?? 0
            let v = SceneShader.index(textured: t != 0, highlighted: item.highlighted || item.graspCue)
            let shader = sceneShaders[v]
            if t != 0 && t != boundTexture {
                // a mesh's texture on unit 1 (the HUD's font and layer use unit 0)
                glActiveTexture(GLenum(GL_TEXTURE1)); glBindTexture(GLenum(GL_TEXTURE_2D), t); glActiveTexture(GLenum(GL_TEXTURE0))
                boundTexture = t
            }
            guard v != current else { return shader }
            current = v
            glUseProgram(shader.program)
            if !ready[v] {
                ready[v] = true
                setMatrix(shader.uViewProj, viewProjection)
                glUniform3f(shader.uEye, Float(e.x), Float(e.y), Float(e.z))
                glUniform1f(shader.uTime, pulse)
                glUniform1i(shader.uAlbedo, 1)
            }
            return shader
        }
        glDisable(GLenum(GL_BLEND))
        glDepthMask(GLboolean(GL_TRUE))
        var culling = false
        func cull(_ on: Bool) {
            guard on != culling else { return }
            culling = on
            if on { glEnable(GLenum(GL_CULL_FACE)) } else { glDisable(GLenum(GL_CULL_FACE)) }
        }
        for (i, item) in list.opaque.enumerated() {
            cull(item.cullBackFaces)
            drawItem(item, shader: use(item), uniforms: i)
        }
        // translucent: blended, sorted back to front, not writing depth so regions never hide each other
        glEnable(GLenum(GL_BLEND))
        glBlendFunc(GLenum(GL_SRC_ALPHA), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        glDepthMask(GLboolean(GL_FALSE))
        for (i, item) in list.translucent.enumerated() {
            cull(item.cullBackFaces)
            drawItem(item, shader: use(item), uniforms: list.opaque.count + i)
        }
        cull(false)
        glDepthMask(GLboolean(GL_TRUE))
    }

    /// One draw call; `uniforms` is the item's index in `itemUniforms` (opaque items first, as `prepare` stored them).
    private func drawItem(_ item: DrawItem, shader: SceneShader, uniforms index: Int) {
        guard let mesh = meshes[item.geometry] else { return }
        itemUniforms.withUnsafeBufferPointer {
            let u = $0.baseAddress! + index * Renderer.uniformsPerItem
            glUniformMatrix4fv(shader.uModel, 1, GLboolean(GL_FALSE), u)
            glUniformMatrix3fv(shader.uNormal, 1, GLboolean(GL_FALSE), u + 16)
            glUniform4fv(shader.uColor, 1, u + 25)
            if shader.uHighlight >= 0 { glUniform1f(shader.uHighlight, u[29]) }
        }
        glBindVertexArray(mesh.vao)
        glDrawElements(GLenum(GL_TRIANGLES), mesh.indexCount, GLenum(GL_UNSIGNED_INT), nil)
    }

    /// Quads for HUD elements (x, y, u, v, r, g, b, a per corner; u < 0: solid) appended to `vertices`.
    func appendHUDVertices(_ elements: [HUDElement], to vertices: inout [Float]) {
        for e in elements {
            switch e {
            case let .rect(x, y, w, h, color):
                appendQuad(x0: Float(x), y0: Float(y), x1: Float(x + w), y1: Float(y + h), color: color, to: &vertices)
            case let .text(x, y, text, size, color):
                font.appendQuads(text, x: x, y: y, size: size, color: color, to: &vertices)
            }
        }
    }

    /// Replaces the HUD every eye shows, laid out for a `width`×`height` viewport: draws it into the HUD
    /// texture (cleared to transparent, premultiplied alpha) and prepares the quads that composite it over
    /// the boxes it covers. Per frame each eye then blends a few textured quads instead of every glyph
    /// (software GL transforms and bins each glyph triangle on the render thread).
    func setHUD(_ elements: [HUDElement], width: Int, height: Int) throws {
        var vertices: [Float] = []
        vertices.reserveCapacity(elements.count * 48 * 8)
        appendHUDVertices(elements, to: &vertices)
        upload(vertices, to: &hud)
        if hudLayer.width != width || hudLayer.height != height { try makeHUDLayer(width: width, height: height) }
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), hudLayer.fbo)
        glViewport(0, 0, GLsizei(width), GLsizei(height))
        glClearColor(0, 0, 0, 0)
        glClear(GLbitfield(GL_COLOR_BUFFER_BIT))
        // colour blended as usual, alpha accumulated as coverage: the texture holds premultiplied colour
        glBlendFuncSeparate(GLenum(GL_SRC_ALPHA), GLenum(GL_ONE_MINUS_SRC_ALPHA), GLenum(GL_ONE), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        drawQuads([hud], program: hudProgram, projection: uProj, sampler: uTex, texture: fontTexture, width: width, height: height)
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
        // composite quads: window pixel (x, y) samples texel (x, height − y) (texture rows start at the bottom)
        let w = Float(width), h = Float(height)
        var quads: [Float] = []
        for b in HUDLayout.coverage(elements, width: Double(width), height: Double(height), measure: font) {
            let (x0, y0, x1, y1) = (Float(b.x0), Float(b.y0), Float(b.x1), Float(b.y1))
            appendQuad(x0: x0, y0: y0, x1: x1, y1: y1, u0: x0 / w, v0: 1 - y0 / h, u1: x1 / w, v1: 1 - y1 / h, color: .white, to: &quads)
        }
        upload(quads, to: &hudComposite)
    }

    /// Draws this eye's name tags (`labels`, in the viewport's pixels), then the shared HUD on top, over
    /// `viewport`, whose top-left is the layout's origin.
    func drawHUD(labels tags: [HUDElement], viewport vp: Viewport) {
        labelVertices.removeAll(keepingCapacity: true)
        appendHUDVertices(tags, to: &labelVertices)
        upload(labelVertices, to: &labels)
        glViewport(GLint(vp.x), GLint(vp.y), GLsizei(vp.width), GLsizei(vp.height))
        glBlendFunc(GLenum(GL_SRC_ALPHA), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        drawQuads([labels], program: hudProgram, projection: uProj, sampler: uTex, texture: fontTexture, width: vp.width, height: vp.height)
        glBlendFunc(GLenum(GL_ONE), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        drawQuads([hudComposite], program: compositeProgram, projection: uCompositeProj, sampler: uCompositeTex,
                  texture: hudLayer.texture, width: vp.width, height: vp.height)
    }

    /// Draws quad buffers with a screen-space program (pixels, origin top-left) over the current viewport,
    /// blended as set by the caller, without depth test.
    private func drawQuads(_ buffers: [QuadBuffer], program: GLuint, projection: GLint, sampler: GLint, texture: GLuint, width: Int, height: Int) {
        guard buffers.contains(where: { $0.quads > 0 }) else { return }
        glDisable(GLenum(GL_DEPTH_TEST))
        glEnable(GLenum(GL_BLEND))
        glUseProgram(program)
        setMatrix(projection, Mat4.orthographic(left: 0, right: Double(width), bottom: Double(height), top: 0).floats)
        glActiveTexture(GLenum(GL_TEXTURE0))
        glBindTexture(GLenum(GL_TEXTURE_2D), texture)
        glUniform1i(sampler, 0)
        for buffer in buffers where buffer.quads > 0 {
            glBindVertexArray(buffer.vao)
            glDrawElements(GLenum(GL_TRIANGLES), GLsizei(buffer.quads * 6), GLenum(GL_UNSIGNED_INT), nil)
        }
        glBindVertexArray(0)
        glEnable(GLenum(GL_DEPTH_TEST))
    }

    /// (Re)allocates the HUD texture (RGBA8, nearest sampling: it is copied pixel for pixel) and its framebuffer.
    private func makeHUDLayer(width: Int, height: Int) throws {
        if hudLayer.fbo == 0 { glGenFramebuffers(1, &hudLayer.fbo); glGenTextures(1, &hudLayer.texture) }
        glBindTexture(GLenum(GL_TEXTURE_2D), hudLayer.texture)
        glTexImage2D(GLenum(GL_TEXTURE_2D), 0, GL_RGBA8, GLsizei(width), GLsizei(height), 0, GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), nil)
        for (name, value) in [(GL_TEXTURE_MIN_FILTER, GL_NEAREST), (GL_TEXTURE_MAG_FILTER, GL_NEAREST),
                              (GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE), (GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE)] {
            glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(name), value)
        }
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), hudLayer.fbo)
        glFramebufferTexture2D(GLenum(GL_FRAMEBUFFER), GLenum(GL_COLOR_ATTACHMENT0), GLenum(GL_TEXTURE_2D), hudLayer.texture, 0)
        let status = glCheckFramebufferStatus(GLenum(GL_FRAMEBUFFER))
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
        guard status == GLenum(GL_FRAMEBUFFER_COMPLETE) else {
            throw ViewerError.window(String(format: "the HUD framebuffer is incomplete (status 0x%04x)", status))
        }
        (hudLayer.width, hudLayer.height) = (width, height)
    }

    /// A quad buffer whose vertex array reads x, y / u, v / r, g, b, a and indexes through the shared index buffer.
    private func makeQuadBuffer() -> QuadBuffer {
        var b = QuadBuffer()
        glGenVertexArrays(1, &b.vao)
        glGenBuffers(1, &b.vbo)
        glBindVertexArray(b.vao)
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), b.vbo)
        glBindBuffer(GLenum(GL_ELEMENT_ARRAY_BUFFER), quadEBO)
        let stride = GLsizei(8 * MemoryLayout<Float>.stride)
        for (loc, count, offset) in [(0, 2, 0), (1, 2, 2), (2, 4, 4)] {
            glEnableVertexAttribArray(GLuint(loc))
            glVertexAttribPointer(GLuint(loc), GLint(count), GLenum(GL_FLOAT), GLboolean(GL_FALSE), stride,
                                  UnsafeRawPointer(bitPattern: offset * MemoryLayout<Float>.stride))
        }
        glBindVertexArray(0)
        return b
    }

    /// Uploads quad corners (8 floats each) into `buffer`, growing the shared index buffer when needed:
    /// quads share one index pattern, 4 vertices per quad instead of 6 (software GL transforms each).
    private func upload(_ vertices: [Float], to buffer: inout QuadBuffer) {
        buffer.quads = vertices.count / 32
        guard buffer.quads > 0 else { return }
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), buffer.vbo)
        vertices.withUnsafeBytes { glBufferData(GLenum(GL_ARRAY_BUFFER), $0.count, $0.baseAddress, GLenum(GL_STREAM_DRAW)) }
        if buffer.quads > quadCapacity {
            quadCapacity = max(buffer.quads, quadCapacity * 2, 1024)
            let indices = (0..<UInt32(quadCapacity)).flatMap { q in [0, 1, 2, 0, 2, 3].map { q * 4 + $0 } }
            glBindVertexArray(0)
            glBindBuffer(GLenum(GL_ELEMENT_ARRAY_BUFFER), quadEBO)
            indices.withUnsafeBytes { glBufferData(GLenum(GL_ELEMENT_ARRAY_BUFFER), $0.count, $0.baseAddress, GLenum(GL_STATIC_DRAW)) }
        }
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
        // position, normal, colour (white unless the mesh has its own), texture coordinate (w 0: untextured)
        var data = [Float](); data.reserveCapacity(mesh.positions.count * Renderer.vertexFloats)
        let colored = mesh.colors.count == mesh.positions.count, textured = mesh.texture != nil && mesh.uvs.count == mesh.positions.count
        for (i, (p, n)) in zip(mesh.positions, normals).enumerated() {
            data += [Float(p.x), Float(p.y), Float(p.z), Float(n.x), Float(n.y), Float(n.z)]
            let c = colored ? mesh.colors[i] : SIMD4<Float>(1, 1, 1, 1), t = textured ? mesh.uvs[i] : SIMD3<Float>(0, 0, 0)
            data += [c.x, c.y, c.z, c.w, t.x, t.y, t.z]
        }
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
            let stride = GLsizei(Renderer.vertexFloats * MemoryLayout<Float>.stride)
            for (location, count, at) in [(0, 3, 0), (1, 3, 3), (2, 4, 6), (3, 3, 10)] {
                glEnableVertexAttribArray(GLuint(location))
                glVertexAttribPointer(GLuint(location), GLint(count), GLenum(GL_FLOAT), GLboolean(GL_FALSE), stride,
                                      UnsafeRawPointer(bitPattern: at * MemoryLayout<Float>.stride))
            }
            if textured, let tex = mesh.texture { gpu.texture = uploadTexture(tex) }
        }
        glBindVertexArray(0)
        meshes[key] = gpu
    }

    /// Floats per scene vertex: position 3, normal 3, colour 4, texture coordinate 3.
    static let vertexFloats = 13

    /// A mesh's base-colour texture: sRGB-encoded RGBA8 (as glTF stores it), mipmapped, repeating.
    private func uploadTexture(_ t: MeshTexture) -> GLuint {
        var id: GLuint = 0
        glGenTextures(1, &id)
        glActiveTexture(GLenum(GL_TEXTURE1))
        glBindTexture(GLenum(GL_TEXTURE_2D), id)
        glPixelStorei(GLenum(GL_UNPACK_ALIGNMENT), 1)
        // glTF images run from the top row; GL's first row is v = 0, as glTF's texture coordinates expect
        t.rgba.withUnsafeBytes {
            glTexImage2D(GLenum(GL_TEXTURE_2D), 0, GL_RGBA8, GLsizei(t.width), GLsizei(t.height), 0, GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), $0.baseAddress)
        }
        glGenerateMipmap(GLenum(GL_TEXTURE_2D))
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MIN_FILTER), GL_NEAREST_MIPMAP_NEAREST)
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_MAG_FILTER), GL_NEAREST)
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_WRAP_S), GL_REPEAT)
        glTexParameteri(GLenum(GL_TEXTURE_2D), GLenum(GL_TEXTURE_WRAP_T), GL_REPEAT)
        glActiveTexture(GLenum(GL_TEXTURE0))
        return id
    }

    // MARK: shaders

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

    // Lit per vertex where that looks the same: ambient and diffuse light vary slowly over a surface (and not
    // at all over a flat face, as the lights are directional), so they are computed at the vertices and
    // interpolated; the specular highlight is sharp, so the fragment shader computes it from the normal and
    // the half vector. Per pixel, that halved the fragment shader's cost on software GL, which runs it for
    // every pixel of both eyes. Two-sided: the normal is turned towards the eye at each vertex.
    static let sceneVertex = """
    #version 330 core
    layout(location = 0) in vec3 aPos;
    layout(location = 1) in vec3 aNormal;
    layout(location = 2) in vec4 aColor;
    layout(location = 3) in vec3 aUV;
    uniform mat4 uModel;
    uniform mat4 uViewProj;
    uniform mat3 uNormal;
    uniform vec3 uEye;
    out vec4 vColor;      // the vertex's own colour (white unless the mesh has colours), lit: ambient + diffuse
    out vec3 vNormal;     // the normal, turned towards the eye
    out vec3 vHalf;       // the key light's half vector
    out float vFacing;    // |n . v|: 1 facing the eye, 0 edge-on (the highlight's rim)
    out vec3 vUV;
    const vec3 key = vec3(0.2932, 0.8377, 0.4607);     // normalize(0.35, 1, 0.55)
    const vec3 fill = vec3(-0.7485, 0.4366, -0.4990);  // normalize(-0.6, 0.35, -0.4)
    vec3 unit(vec3 a) { return a * inversesqrt(max(dot(a, a), 1e-12)); }   // 0 stays 0, never NaN
    void main() {
        vec4 world = uModel * vec4(aPos, 1.0);
        vec3 v = unit(uEye - world.xyz);
        vec3 n = unit(uNormal * aNormal);
        float ndv = dot(n, v);
        n *= sign(ndv + 1e-6);
        float light = 0.22 + 0.1 * n.y + 0.8 * max(dot(n, key), 0.0) + 0.25 * max(dot(n, fill), 0.0);
        vNormal = n;
        vHalf = unit(key + v);
        vFacing = abs(ndv);
        vColor = vec4(aColor.rgb * light, aColor.a);
        vUV = aUV;
        gl_Position = uViewProj * world;
    }
    """

    // Prefixed with the version and the variant's defines (`SceneShader`). Written for software GL
    // (llvmpipe shades every fragment on the CPU): no branches, no transcendental functions per fragment;
    // the highlight pulse is computed once per frame.
    static let sceneFragment = """
    in vec4 vColor;
    in vec3 vNormal;
    in vec3 vHalf;
    uniform vec4 uColor;
    out vec4 fragColor;
    #ifdef TEXTURED
    in vec3 vUV;
    uniform sampler2D uAlbedo;  // bound to unit 1
    #endif
    #ifdef HIGHLIGHT
    in float vFacing;
    uniform float uHighlight;   // 1 (what the step concerns) or 2 (what a hand would grasp)
    uniform float uTime;        // highlight pulse, 0...1
    #endif
    void main() {
        vec4 base = uColor * vColor;   // lit by ambient and diffuse light
    #ifdef TEXTURED
        base *= mix(vec4(1.0), texture(uAlbedo, vUV.xy), vUV.z);   // w picks the vertices the texture covers
    #endif
        // interpolated normals cancel where a two-sided sheet turns edge-on: a zero vector, never NaN
        vec3 n = vNormal * inversesqrt(max(dot(vNormal, vNormal), 1e-12));
        float spec = max(dot(n, vHalf * inversesqrt(max(dot(vHalf, vHalf), 1e-12))), 0.0);
        spec *= spec; spec *= spec; spec *= spec; spec *= spec; spec *= spec;   // ^32
        vec3 c = base.rgb + vec3(0.22) * spec;
    #ifdef HIGHLIGHT
        float rim = (1.0 - vFacing) * (1.0 - vFacing);
        float step = min(uHighlight, 1.0), grasp = max(uHighlight - 1.0, 0.0);   // branch-free
        vec3 rimColor = mix(vec3(1.0, 0.9, 0.45), vec3(0.3, 1.0, 0.45), grasp);
        c += step * (base.rgb * 0.25 * uTime + rimColor * rim * (0.35 + 0.35 * uTime + 0.6 * grasp));
        c = mix(c, vec3(0.3, 1.0, 0.45), grasp * (0.45 + 0.25 * uTime));   // a thin needle has no rim to see
    #endif
        fragColor = vec4(c, base.a);
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

    /// The HUD texture, premultiplied: blended with (1, 1 − source alpha).
    static let compositeFragment = """
    #version 330 core
    in vec2 vUV;
    in vec4 vColor;
    uniform sampler2D uTex;
    out vec4 fragColor;
    void main() { fragColor = texture(uTex, vUV); }
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
