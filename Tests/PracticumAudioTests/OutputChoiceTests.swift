import Testing
@testable import PracticumAudio

@Suite struct SoundSystemTests {
    @Test(arguments: [
        ([String: String](), [String](), false),
        ([:], ["/dev/snd"], true),
        (["XDG_RUNTIME_DIR": "/run/user/1"], ["/run/user/1/pulse/native"], true),
        (["XDG_RUNTIME_DIR": "/run/user/1"], [], false),
        (["ALSOFT_DRIVERS": "null"], [], true),
        (["PULSE_SERVER": "tcp:host"], [], true),
    ])
    func aSoundSystemIsPresentOnlyWithACardAServerOrAChosenBackend(_ env: [String: String], _ files: [String], _ present: Bool) {
        #expect(AudioOutputChoice.soundSystemPresent(environment: env, exists: { files.contains($0) }) == present)
    }
}
