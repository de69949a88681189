import Testing
import PracticumCore
import PracticumTestSupport
@testable import PracticumViewer

@Suite struct MatrixTests {
    @Test func viewUndoesModel() {
        let pose = Pose(position: Vec3(0.3, 1.2, -0.4), orientation: Quat(axis: Vec3(1, 2, 3), angle: 0.7))
        let m = Mat4.view(pose) * Mat4.model(pose)
        let p = m.apply(Vec3(0.1, -0.2, 0.5))
        #expect(isClose(Vec3(p.x, p.y, p.z), Vec3(0.1, -0.2, 0.5), abs: 1e-12))
    }

    @Test func normalMatrixKeepsNormalsPerpendicularUnderNonUniformScale() {
        let m = Mat4.model(Pose(orientation: Quat(axis: .unitZ, angle: 0.4)), scale: Vec3(3, 1, 0.5))
        let n = m.normalMatrix.map(Double.init)
        // a tangent of the plane x + y = 0 in local space, and the plane's normal
        let t = Vec3(1, -1, 0), normal = Vec3(1, 1, 0)
        let tw = m.apply(t) - m.apply(.zero)
        let nw = Vec3(n[0] * normal.x + n[3] * normal.y + n[6] * normal.z,
                      n[1] * normal.x + n[4] * normal.y + n[7] * normal.z,
                      n[2] * normal.x + n[5] * normal.y + n[8] * normal.z)
        #expect(isClose(Vec3(tw.x, tw.y, tw.z).dot(nw), 0, abs: 1e-6))
    }

    @Test func symmetricFrustumIsThePerspective() {
        let p = Mat4.perspective(fovY: 1.0, aspect: 16.0 / 9, near: 0.1, far: 10)
        let t = 0.1 * tan(0.5), r = t * 16 / 9
        #expect(p == Mat4.frustum(left: -r, right: r, bottom: -t, top: t, near: 0.1, far: 10))
        // the near and far planes map to NDC z −1 and +1
        #expect(isClose(p.project(Vec3(0, 0, -0.1))!.ndc.z, -1, abs: 1e-12))
        #expect(isClose(p.project(Vec3(0, 0, -10))!.ndc.z, 1, abs: 1e-12))
    }

    @Test func orthographicMapsPixelsToNDC() {
        let o = Mat4.orthographic(left: 0, right: 640, bottom: 480, top: 0)
        let a = o.apply(Vec3(0, 0, 0)), b = o.apply(Vec3(640, 480, 0))
        #expect(isClose(a.x, -1) && isClose(a.y, 1) && isClose(b.x, 1) && isClose(b.y, -1))
    }
}

@Suite struct CameraTests {
    @Test(arguments: [(0.0, 0.5, 1.5), (1.2, -0.3, 0.4), (-2.5, 1.4, 3.0)])
    func orbitCameraLooksAtItsTarget(yaw: Double, pitch: Double, distance: Double) {
        let cam = OrbitCamera(target: Vec3(0.1, 0.9, -0.2), distance: distance, yaw: yaw, pitch: pitch)
        let view = Lens().monoView(head: cam.pose, width: 1280, height: 720)
        let s = view.viewProjection.project(cam.target)!
        #expect(isClose(s.ndc.x, 0, abs: 1e-12) && isClose(s.ndc.y, 0, abs: 1e-12))
        #expect(isClose(s.depth, distance, abs: 1e-12))
        #expect(isClose(cam.pose.position.distance(to: cam.target), distance, abs: 1e-12))
    }

    @Test func positivePitchLooksDown() {
        let cam = OrbitCamera(target: .zero, distance: 1, yaw: 0, pitch: 0.5)
        #expect(cam.pose.position.y > 0)
        #expect(cam.pose.orientation.rotate(Vec3(0, 0, -1)).y < 0)
    }

    @Test func pitchIsClamped() {
        var cam = OrbitCamera()
        cam.orbit(yaw: 0, pitch: 10)
        #expect(isClose(cam.pitch, 89 * .pi / 180))
        var fp = FirstPersonCamera()
        fp.look(yaw: 0, pitch: -10)
        #expect(isClose(fp.pitch, -89 * .pi / 180))
    }

    @Test func firstPersonMovesInItsHorizontalFrame() {
        var fp = FirstPersonCamera(position: .zero, yaw: .pi / 2, pitch: -0.7)
        fp.move(forward: 1, right: 0, up: 0)
        // yawed 90° left, forward is −x, and looking down does not sink the camera
        #expect(isClose(fp.position, Vec3(-1, 0, 0), abs: 1e-12))
    }

    @Test func viewportPixelsHaveTheOriginTopLeft() {
        let vp = Viewport(x: 640, y: 0, width: 640, height: 720)
        let centre = vp.pixel(ndc: SIMD3(0, 0, 0), windowHeight: 720)
        #expect(centre.x == 960 && centre.y == 360)
        let topLeft = vp.pixel(ndc: SIMD3(-1, 1, 0), windowHeight: 720)
        #expect(topLeft.x == 640 && topLeft.y == 0)
    }
}

@Suite struct StereoTests {
    let head = Pose(position: Vec3(0.1, 1.5, 0.8), orientation: Quat(axis: .unitY, angle: 0.3) * Quat(axis: .unitX, angle: -0.4))
    let rig = StereoRig()

    @Test func eyesAreOneIPDApartAlongTheHeadsRightAxis() {
        let eyes = rig.eyes(head: head, width: 1280, height: 720)
        #expect(eyes.count == 2)
        let l = eyes[0].eye.position, r = eyes[1].eye.position
        #expect(isClose(l.distance(to: r), 0.063, abs: 1e-12))
        #expect(isClose((r - l).normalized, head.orientation.rotate(.unitX), abs: 1e-12))
        #expect(isClose((l + r) * 0.5, head.position, abs: 1e-12))
        #expect(eyes[0].viewport == Viewport(x: 0, y: 0, width: 640, height: 720))
        #expect(eyes[1].viewport == Viewport(x: 640, y: 0, width: 640, height: 720))
    }

    @Test(arguments: [(0.0, 0.0), (0.12, -0.05), (-0.2, 0.15)])
    func pointsOnTheZeroParallaxPlaneLandOnTheSameNDCInBothEyes(x: Double, y: Double) {
        let p = head.transform(Vec3(x, y, -rig.convergence))
        let eyes = rig.eyes(head: head, width: 1280, height: 720)
        let l = eyes[0].viewProjection.project(p)!, r = eyes[1].viewProjection.project(p)!
        #expect(isClose(l.ndc.x, r.ndc.x, abs: 1e-12))
        #expect(isClose(l.ndc.y, r.ndc.y, abs: 1e-12))
    }

    @Test func parallaxSignFollowsDepth() {
        let eyes = rig.eyes(head: head, width: 1280, height: 720)
        func disparity(_ depth: Double) -> Double {
            let p = head.transform(Vec3(0, 0, -depth))
            return eyes[1].viewProjection.project(p)!.ndc.x - eyes[0].viewProjection.project(p)!.ndc.x
        }
        // farther than the screen: uncrossed (right eye sees it further right); nearer: crossed
        #expect(disparity(3) > 0.01)
        #expect(disparity(0.3) < -0.01)
        // the exact disparity in NDC: ipd · (1 − d/D) / halfWidth, halfWidth = D·tan(fov/2)·aspect
        let d = 2.0, halfWidth = rig.convergence * tan(rig.lens.fovY / 2) * (640.0 / 720)
        #expect(isClose(disparity(d), 0.063 * (1 - rig.convergence / d) / halfWidth, abs: 1e-12))
    }

    @Test func eyesLookParallelWithNoVerticalParallax() {
        let eyes = rig.eyes(head: head, width: 1280, height: 720)
        #expect(eyes[0].eye.orientation == eyes[1].eye.orientation)
        for p in [Vec3(0.3, 0.2, -0.4), Vec3(-0.5, -0.3, -2)] {
            let w = head.transform(p)
            #expect(isClose(eyes[0].viewProjection.project(w)!.ndc.y, eyes[1].viewProjection.project(w)!.ndc.y, abs: 1e-12))
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
