import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumViewer

@Suite struct GeometryTests {
    @Test(arguments: [PrimitiveGeometry.sphere(), PrimitiveGeometry.box(), PrimitiveGeometry.plane(),
                      PrimitiveGeometry.capsule(radius: 0.1, halfHeight: 0.3),
                      PrimitiveGeometry.mesh(for: .coarse(.sphere))!, PrimitiveGeometry.mesh(for: .coarse(.capsule(radiusMicrons: 1000, halfHeightMicrons: 5000)))!])
    func trianglesWindCounterClockwiseSeenFromOutside(mesh: TriangleMesh) {
        #expect(mesh.indices.count % 3 == 0)
        #expect(mesh.normals.count == mesh.positions.count)
        var t = 0, checked = 0
        while t < mesh.indices.count {
            let a = mesh.positions[Int(mesh.indices[t])], b = mesh.positions[Int(mesh.indices[t + 1])], c = mesh.positions[Int(mesh.indices[t + 2])]
            let face = (b - a).cross(c - a)
            if face.length > 1e-12 {   // pole triangles are degenerate
                #expect(face.dot(mesh.normals[Int(mesh.indices[t])]) > 0)
                checked += 1
            }
            t += 3
        }
        #expect(checked > 0)
    }

    @Test func coarseTessellationHasAboutAQuarterOfTheTriangles() {
        // 12 × 6 segments against 24 × 12 (the equator ring is doubled in both, hence not exactly a quarter)
        #expect(PrimitiveGeometry.mesh(for: .coarse(.sphere))!.indices.count * 3 < PrimitiveGeometry.sphere().indices.count)
        #expect(GeometryKey.coarse(.sphere).isClosed && !GeometryKey.plane.isClosed && !GeometryKey.dynamic(id: 1).isClosed)
    }

    @Test func boxAndPlaneCounts() {
        #expect(PrimitiveGeometry.box().positions.count == 24 && PrimitiveGeometry.box().indices.count == 36)
        #expect(PrimitiveGeometry.plane().indices.count == 6)
    }

    @Test func capsuleSpansItsLengthAndRadius() {
        let c = PrimitiveGeometry.capsule(radius: 0.1, halfHeight: 0.3)
        let ys = c.positions.map(\.y), xs = c.positions.map(\.x)
        #expect(isClose(ys.max()!, 0.4, abs: 1e-12) && isClose(ys.min()!, -0.4, abs: 1e-12))
        #expect(isClose(xs.max()!, 0.1, abs: 1e-3))
        for n in c.normals { #expect(isClose(n.length, 1, abs: 1e-12)) }
    }

    @Test func smoothNormalsOfAFlatSheetPointUp() {
        let n = PrimitiveGeometry.smoothNormals(positions: [Vec3(0, 0, 0), Vec3(1, 0, 0), Vec3(1, 0, -1), Vec3(0, 0, -1)], indices: [0, 1, 2, 0, 2, 3])
        for v in n { #expect(isClose(v, .unitY, abs: 1e-12)) }
    }
}

@Suite struct DrawListTests {
    func scene() -> ViewScene {
        var s = ViewScene(time: 1)
        s.drawables = [Drawable(id: 1, shape: .sphere(radius: 0.5), pose: Pose(position: Vec3(0, 0, -2)), color: RGBA(1, 0, 0)),
                       Drawable(id: 2, shape: .box(halfExtents: Vec3(1, 2, 3)), color: RGBA(0, 1, 0, 0.5)),
                       Drawable(id: 3, shape: .capsule(radius: 0.01, halfHeight: 0.05), color: .white)]
        s.landmarks = [LandmarkMarker(id: 1, name: "L", position: Vec3(1, 1, 1), radius: 0.01, color: RGBA(1, 0, 1), highlighted: true)]
        s.regions = [RegionMarker(id: 1, name: "near", shape: .sphere(radius: 0.1), pose: Pose(position: Vec3(0, 0, -1)), color: RGBA(0, 1, 0, 1)),
                     RegionMarker(id: 2, name: "far", shape: .sphere(radius: 0.1), pose: Pose(position: Vec3(0, 0, -5)), color: RGBA(0, 0, 1, 0.2), highlighted: true)]
        s.hands = [HandMarker(index: 0, pose: .identity), HandMarker(index: 1, pose: .identity, grip: 1, active: true)]
        s.dynamicMeshes = [DynamicMesh(id: 7, positions: [.zero, .unitX, .unitZ], indices: [0, 2, 1], color: RGBA(1, 0.8, 0.7))]
        return s
    }

    @Test func splitsOpaqueAndTranslucent() {
        let list = DrawList(scene: scene(), eye: .zero)
        // 2 opaque drawables + tissue + landmark + the empty hands (2 × 2 parts)
        #expect(list.opaque.count == 8)
        // the half-transparent box and both regions
        #expect(list.translucent.count == 3)
        #expect(list.dynamicMeshes.map(\.id) == [7])
        #expect(list.opaque.contains { $0.geometry == .capsule(radiusMicrons: 10_000, halfHeightMicrons: 50_000) })
    }

    @Test func translucentItemsAreSortedBackToFrontOpaqueFrontToBack() {
        let list = DrawList(scene: scene(), eye: .zero)
        let distances = list.translucent.map { Vec3($0.model.c3.x, $0.model.c3.y, $0.model.c3.z).length }
        #expect(distances == distances.sorted(by: >))
        #expect(isClose(distances[0], 5))
        let opaque = list.opaque.map { Vec3($0.model.c3.x, $0.model.c3.y, $0.model.c3.z).length }
        #expect(opaque == opaque.sorted())
    }

    @Test func regionAlphaFollowsTheHighlight() {
        let list = DrawList(scene: scene(), eye: .zero)
        let far = list.translucent[0], near = list.translucent.first { $0.model.c3.z == -1 }!
        #expect(far.highlighted && isClose(far.color.a, 0.45))
        #expect(!near.highlighted && isClose(near.color.a, 0.3))
    }

    @Test func highlightedLandmarkIsEnlargedAndPlaced() {
        let list = DrawList(scene: scene(), eye: .zero)
        let mark = list.opaque.first { $0.color == RGBA(1, 0, 1) }!
        // 12.5 mm seen from 1.7 m: small on screen, so the coarse sphere
        #expect(mark.highlighted && mark.geometry == .coarse(.sphere))
        #expect(isClose(mark.model.c0.x, 0.0125, abs: 1e-15))
        #expect(isClose(Vec3(mark.model.c3.x, mark.model.c3.y, mark.model.c3.z), Vec3(1, 1, 1)))
    }

    @Test func smallSpheresAndCapsulesUseTheCoarseTessellation() {
        var s = ViewScene()
        s.drawables = [Drawable(id: 1, shape: .sphere(radius: 0.01), pose: Pose(position: Vec3(0, 0, -1)), color: .white),
                       Drawable(id: 2, shape: .sphere(radius: 0.01), pose: Pose(position: Vec3(0, 0, -0.2)), color: .white),
                       Drawable(id: 3, shape: .capsule(radius: 0.001, halfHeight: 0.02), pose: Pose(position: Vec3(0, 0, -1)), color: .white),
                       Drawable(id: 4, shape: .sphere(radius: 0.01), pose: Pose(position: Vec3(0, 0, -1)), scale: Vec3(1, 5, 1), color: .white)]
        let keys = DrawList(scene: s, eye: .zero).opaque.map(\.geometry)
        #expect(keys == [.sphere, .coarse(.sphere), .coarse(.capsule(radiusMicrons: 1000, halfHeightMicrons: 20_000)), .sphere])
    }

    @Test func screenRectCoversEveryItemAndNoMore() {
        let head = Pose(position: Vec3(0, 0, 2))
        let views = StereoRig().eyes(head: head, width: 1280, height: 720) + [Lens().monoView(head: head, width: 1280, height: 720)]
        var s = ViewScene()
        s.drawables = [Drawable(id: 1, shape: .box(halfExtents: Vec3(0.1, 0.05, 0.1)), pose: Pose(position: Vec3(0.2, 0.1, 0)), color: .white),
                       Drawable(id: 2, shape: .capsule(radius: 0.01, halfHeight: 0.1), pose: Pose(position: Vec3(-0.3, -0.2, 0)), color: .white)]
        s.regions = [RegionMarker(id: 1, name: "r", shape: .sphere(radius: 0.05), pose: Pose(position: Vec3(0, 0.3, 0)), color: RGBA(0, 1, 0, 0.3))]
        let list = DrawList(scene: s, eye: head.position)
        for view in views {
            let rect = try! #require(list.screenRect(in: view))
            let vp = view.viewport
            #expect(rect.x >= vp.x && rect.y >= vp.y && rect.x + rect.width <= vp.x + vp.width && rect.y + rect.height <= vp.y + vp.height)
            #expect(rect.width < vp.width / 2 && rect.height < vp.height / 2)   // small things far away: a small rectangle
            // every corner of every item projects inside it (window pixels, origin bottom-left)
            for item in list.opaque + list.translucent {
                for corner in 0..<8 {
                    let p = Vec3(corner & 1 == 0 ? item.localMin.x : item.localMax.x, corner & 2 == 0 ? item.localMin.y : item.localMax.y,
                                 corner & 4 == 0 ? item.localMin.z : item.localMax.z)
                    let w = item.model.apply(p)
                    let ndc = view.viewProjection.project(Vec3(w.x, w.y, w.z))!.ndc
                    let x = Double(vp.x) + (ndc.x + 1) / 2 * Double(vp.width), y = Double(vp.y) + (ndc.y + 1) / 2 * Double(vp.height)
                    #expect(Double(rect.x) <= x && x <= Double(rect.x + rect.width) && Double(rect.y) <= y && y <= Double(rect.y + rect.height))
                }
            }
        }
        // something reaching behind the eye: the whole viewport; nothing at all: no rectangle
        s.drawables.append(Drawable(id: 3, shape: .plane(halfSize: 5), pose: Pose(position: Vec3(0, -0.5, 0)), color: .white))
        #expect(DrawList(scene: s, eye: head.position).screenRect(in: views[0]) == views[0].viewport)
        #expect(DrawList(scene: ViewScene(), eye: head.position).screenRect(in: views[0]) == nil)
    }

    @Test func fullyTransparentItemsAreNotDrawn() {
        var s = ViewScene()
        s.regions = [RegionMarker(id: 1, name: "hidden", shape: .box(halfExtents: Vec3(1, 1, 1)), pose: .identity, color: RGBA(0, 0, 0, 0)),
                     RegionMarker(id: 2, name: "flagged", shape: .box(halfExtents: Vec3(1, 1, 1)), pose: .identity, color: RGBA(0, 0, 0, 0), highlighted: true)]
        // a highlighted region is drawn at alpha 0.45 whatever its colour says
        #expect(DrawList(scene: s, eye: Vec3(0, 0, 10)).translucent.map(\.highlighted) == [true])
    }

    @Test func onlyOpaqueClosedUnmirroredItemsCullBackFaces() {
        var s = ViewScene()
        s.drawables = [Drawable(id: 1, shape: .box(halfExtents: Vec3(1, 1, 1)), color: .white),
                       Drawable(id: 2, shape: .box(halfExtents: Vec3(1, 1, 1)), scale: Vec3(-1, 1, 1), color: .white),
                       Drawable(id: 3, shape: .plane(halfSize: 1), color: .white),
                       Drawable(id: 4, shape: .sphere(radius: 1), color: RGBA(1, 1, 1, 0.5))]
        s.dynamicMeshes = [DynamicMesh(id: 7, positions: [.zero, .unitX, .unitZ], indices: [0, 2, 1], color: .white)]
        let list = DrawList(scene: s, eye: Vec3(0, 0, 10))
        #expect(list.opaque.map(\.cullBackFaces) == [true, false, false, false])
        // the translucent sphere seen from outside shows its near side only; from inside, its far side
        #expect(list.translucent.map(\.cullBackFaces) == [true])
        #expect(DrawList(scene: s, eye: Vec3(0, 0, 0.5)).translucent.map(\.cullBackFaces) == [false])
        #expect(list.translucent[0].color.a == 0.5)
    }

    @Test func closedGripDarkensTheHand() {
        let list = DrawList(scene: scene(), eye: .zero)
        let hands = list.opaque.filter { $0.geometry == .box && $0.color != RGBA(0, 1, 0, 0.5) }
        #expect(hands.count == 4)
        // left: open, inactive; right: closed (darker), active (highlighted); empty hands are opaque
        #expect(hands.filter { $0.color == DrawList.handColors[0] && !$0.highlighted }.count == 2)
        #expect(hands.filter { $0.color == DrawList.handColors[1].mixed(with: .black, 0.35) && $0.highlighted }.count == 2)
        // a hand holding something, or over something it could take, is see-through
        var s = scene()
        s.hands[1].holding = 3
        let held = DrawList(scene: s, eye: .zero).translucent.filter { $0.geometry == .box && $0.color != RGBA(0, 1, 0, 0.5) }
        #expect(held.count == 2 && held.allSatisfy { $0.color.a == DrawList.handAlpha })
    }
}

@Suite struct InterpolationTests {
    @Test func posesAndVerticesAreBlendedHUDIsNot() {
        var a = ViewScene(time: 0), b = ViewScene(time: 0.01)
        a.drawables = [Drawable(id: 1, shape: .sphere(radius: 1), pose: Pose(position: .zero), color: .white)]
        b.drawables = [Drawable(id: 1, shape: .sphere(radius: 1), pose: Pose(position: Vec3(2, 0, 0), orientation: Quat(axis: .unitY, angle: 1)), color: .black)]
        a.dynamicMeshes = [DynamicMesh(id: 1, positions: [.zero], indices: [], color: .white)]
        b.dynamicMeshes = [DynamicMesh(id: 1, positions: [Vec3(0, 1, 0)], indices: [], color: .white)]
        a.hands = [HandMarker(index: 1, pose: .identity)]
        b.hands = [HandMarker(index: 1, pose: Pose(position: Vec3(0, 0, 4)))]
        a.hud.stepTitle = "old"; b.hud.stepTitle = "new"
        let m = ViewScene.interpolated(from: a, to: b, 0.25)
        #expect(isClose(m.time, 0.0025))
        #expect(isClose(m.drawables[0].pose.position, Vec3(0.5, 0, 0)))
        #expect(isClose(m.drawables[0].pose.orientation.angle, 0.25, abs: 1e-12))
        #expect(m.drawables[0].color == .black)
        #expect(isClose(m.dynamicMeshes[0].positions[0], Vec3(0, 0.25, 0)))
        #expect(isClose(m.hands[0].pose.position, Vec3(0, 0, 1)))
        #expect(m.hud.stepTitle == "new")
    }

    @Test func itemsNewInTheLaterStateAreNotMoved() {
        let a = ViewScene(drawables: [Drawable(id: 1, shape: .sphere(radius: 1), color: .white)])
        let b = ViewScene(drawables: [Drawable(id: 2, shape: .sphere(radius: 1), pose: Pose(position: Vec3(1, 0, 0)), color: .white),
                                      Drawable(id: 1, shape: .sphere(radius: 1), pose: Pose(position: Vec3(0, 2, 0)), color: .white)])
        let m = ViewScene.interpolated(from: a, to: b, 0.5)
        #expect(m.drawables[0].pose.position == Vec3(1, 0, 0))
        #expect(isClose(m.drawables[1].pose.position, Vec3(0, 1, 0)))
    }
}

@Suite struct OBJTests {
    @Test func parsesAQuadWithNormalsAndNegativeIndices() throws {
        let obj = """
        # a unit quad facing +y
        v 0 0 0
        v 1 0 0
        v 1 0 -1
        v 0 0 -1
        vn 0 2 0
        f 1//1 2//1 3//1 -1//1
        """
        let m = try TriangleMesh.parseOBJ(obj, id: 9)
        #expect(m.id == 9 && m.positions.count == 4)
        #expect(m.indices == [0, 1, 2, 0, 2, 3])
        #expect(m.normals.allSatisfy { $0 == .unitY })
    }

    @Test func computesNormalsWhenTheFileHasNone() throws {
        let m = try TriangleMesh.parseOBJ("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1/1 2/2 3/3\n", id: 1)
        #expect(m.normals == [.unitZ, .unitZ, .unitZ])
    }

    @Test(arguments: [("v 0 0\n", 1, "expected three finite numbers after `v`"), ("v 0 0 0\nf 1 2 3\n", 2, "index 2 out of range"),
                      ("v 0 0 0\nv 1 0 0\nf 1 2\n", 3, "a face needs at least three corners")])
    func reportsTheLineOfAnError(text: String, line: Int, message: String) {
        #expect(throws: TriangleMesh.OBJError(line: line, message: message)) { try TriangleMesh.parseOBJ(text, id: 0) }
    }
}

@Suite struct VisibilityTests {
    @Test func aThinNeedleIsWidenedToThreePixelsAndKeepsItsLength() {
        var s = ViewScene()
        s.drawables = [Drawable(id: 1, shape: .capsule(radius: 0.0006, halfHeight: 0.0225), pose: Pose(position: Vec3(0, 0, -0.5)),
                                color: .white, thin: true)]
        let pixel = Lens().pixelAngle(heightPixels: 720)
        let list = DrawList(scene: s, eye: .zero, pixelAngle: pixel)
        let m = list.opaque[0].model
        // radius scaled to 1.5 px at 0.5 m; the axis (y) keeps its scale
        let want = 1.5 * pixel * 0.5
        #expect(isClose((m.c0.x * m.c0.x + m.c0.y * m.c0.y + m.c0.z * m.c0.z).squareRoot() * 0.0006, want, abs: 1e-12))
        #expect(isClose((m.c1.x * m.c1.x + m.c1.y * m.c1.y + m.c1.z * m.c1.z).squareRoot(), 1, abs: 1e-12))
        // without a pixel angle it is drawn at its true size
        #expect(DrawList(scene: s, eye: .zero).opaque[0].model.c0.x == 1)
    }

    @Test func aGraspCandidateIsMarkedAndAShadowLiesUnderTheCaster() {
        var s = ViewScene()
        s.drawables = [Drawable(id: 1, shape: .sphere(radius: 0.01), color: .white, graspable: .candidate),
                       Drawable(id: 2, shape: .sphere(radius: 0.01), color: .white, graspable: .held)]
        s.shadows = [ContactShadow(position: Vec3(0, 0.8, 0), height: 0.1, caster: Vec3(0, 0.9, 0))]
        let list = DrawList(scene: s, eye: Vec3(0, 1.5, 1))
        #expect(list.opaque.map(\.graspCue) == [true, false] || list.opaque.map(\.graspCue) == [false, true])
        #expect(list.opaque.filter(\.graspCue).count == 1)
        // the disc and the drop line, see-through
        #expect(list.translucent.count == 2)
        #expect(list.translucent.allSatisfy { $0.color.a < 1 })
    }
}
