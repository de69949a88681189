#!/usr/bin/env python3
"""Writes the FLS peg transfer motion scripts (expert.yaml, novice-*.yaml) in this folder.

The two hands must meet in time at every mid-air hand-over, which is tedious to keep in step by hand,
so the scripts are generated: each hand is a timeline of moves (times in whole milliseconds), and a
hand-over waits for whichever hand arrives last. Regenerate the scripts, then the traces:

    python3 scenarios/fls-peg-transfer/traces/make_scripts.py
    for f in scenarios/fls-peg-transfer/traces/*.yaml; do
      practicum synth "$f" --scenario scenarios/fls-peg-transfer/scenario.yaml; done

Geometry (metres) mirrors scenario.yaml: objects rest on the pegs with their origin at y = 0.835.
"""
import os

LEFT_X = [-0.17, -0.12, -0.07]
ROW_Z = [-0.035, 0.035]
LEFT_PEGS = [(x, z) for z in ROW_Z for x in LEFT_X]      # o1..o6 start here
RIGHT_PEGS = [(-x, z) for (x, z) in LEFT_PEGS]           # and are placed here
REST_Y = 0.835      # object origin when resting on a peg
PLACE_Y = 0.840     # object origin at release: 5 mm above its resting height
HOVER_Y = 0.880     # above the pegs, before descending
LIFT_Y = 0.920      # lifted clear of the other objects
HAND_L = (-0.005, 1.0, 0.0)   # mid-air hand-over: 16 cm above the objects, hands 1 cm apart
HAND_R = (0.005, 1.0, 0.0)


class Hand:
    def __init__(self, start):
        self.t = 0          # ms
        self.pos = start
        self.motion = []

    def move(self, pos, ms, smooth=True):
        ms = int(round(ms))
        ease = ", ease: smooth" if smooth else ""
        p = ", ".join(f"{c:.4f}" for c in pos)
        self.motion.append(f"- move: {{position: [{p}], duration: {ms}ms{ease}}}")
        self.t += ms
        self.pos = pos

    def hold_until(self, t):
        if t > self.t:
            self.motion.append(f"- hold: {t - self.t}ms")
            self.t = t

    def grip(self, close, ms):
        ms = int(round(ms))
        self.motion.append(f"- {'grasp' if close else 'release'}: {ms}ms")
        self.t += ms


class Script:
    """One run. `s` scales every duration (1 = the brisk expert)."""

    def __init__(self, s=1.0):
        self.s = s
        self.left = Hand((-0.12, 0.95, 0.10))
        self.right = Hand((0.12, 0.95, 0.10))

    def d(self, ms):
        return ms * self.s

    def pick(self, hand, peg):
        x, z = peg
        hand.move((x, HOVER_Y, z), self.d(420))
        hand.move((x, REST_Y, z), self.d(180), smooth=False)
        hand.grip(True, self.d(120))
        hand.move((x, LIFT_Y, z), self.d(180), smooth=False)

    def place(self, hand, peg, offset):
        """Lower the held object onto `peg`; `offset` is the object's position relative to the hand."""
        x, z = peg[0] - offset[0], peg[1] - offset[2]
        hand.move((x, HOVER_Y, z), self.d(420))
        hand.move((x, PLACE_Y, z), self.d(180), smooth=False)
        hand.grip(False, self.d(120))
        hand.move((x, HOVER_Y, z), self.d(150), smooth=False)

    def handover(self, giver, taker, giver_at, taker_at):
        """Giver carries its object to `giver_at`; taker closes on it, giver opens; returns the
        object's offset in the taker's hand."""
        giver.move(giver_at, self.d(400))
        taker.move(taker_at, self.d(400))
        t = max(giver.t, taker.t)
        giver.hold_until(t)
        taker.hold_until(t)
        taker.grip(True, self.d(120))          # closes first: it takes the object once the giver lets go
        giver.hold_until(taker.t)
        giver.grip(False, self.d(120))
        taker.hold_until(giver.t + 30)
        return tuple(g - k for g, k in zip(giver_at, taker_at))

    def transfer_right(self, i):
        self.pick(self.left, LEFT_PEGS[i])
        offset = self.handover(self.left, self.right, HAND_L, HAND_R)
        self.place(self.right, RIGHT_PEGS[i], offset)

    def transfer_left(self, i):
        self.pick(self.right, RIGHT_PEGS[i])
        offset = self.handover(self.right, self.left, HAND_R, HAND_L)
        self.place(self.left, LEFT_PEGS[i], offset)

    def one_handed_right(self, i):
        """Error: carried across and placed with the left hand alone (no mid-air transfer)."""
        self.pick(self.left, LEFT_PEGS[i])
        self.left.move((0.0, LIFT_Y + 0.05, 0.0), self.d(400))
        self.place(self.left, RIGHT_PEGS[i], (0.0, 0.0, 0.0))

    def right_only_right(self, i):
        """Error: picked up from the left pegs and placed with the right hand alone (no mid-air transfer);
        the left hand waits meanwhile."""
        self.right.hold_until(self.left.t)
        self.pick(self.right, LEFT_PEGS[i])
        self.right.move((0.0, LIFT_Y + 0.05, 0.0), self.d(400))
        self.place(self.right, RIGHT_PEGS[i], (0.0, 0.0, 0.0))
        self.left.hold_until(self.right.t)

    def drop_outside_right(self, i):
        """Error: lifted with the left hand and lost over the left edge of the board (outside the field)."""
        self.pick(self.left, LEFT_PEGS[i])
        self.left.move((-0.30, 0.95, 0.0), self.d(500))
        self.left.grip(False, self.d(120))

    def write(self, path, header):
        end = max(self.left.t, self.right.t) + 1000
        lines = [header.rstrip(), "scenario: {id: fls-peg-transfer}", "sample_rate: 60Hz", "seed: 3",
                 "tremor: 0.2mm", f"duration: {end}ms", "metadata: {trainee: " + os.path.basename(path)[:-5] + "}",
                 "head:", "  start: {position: [0, 1.35, 0.45], rotation: [-40, 0, 0]}", "hands:"]
        for name, hand, start in (("left", self.left, (-0.12, 0.95, 0.10)), ("right", self.right, (0.12, 0.95, 0.10))):
            lines.append(f"  {name}:")
            lines.append(f"    start: {{position: [{start[0]}, {start[1]}, {start[2]}]}}")
            lines.append("    motion:")
            lines += ["      " + m for m in hand.motion]
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")


EXPERT_PACE = 1.5   # scale of the base durations: a brisk expert, about 30 s for the whole task


def run(path, header, s=EXPERT_PACE, right_special=None):
    """Six transfers to the right (object i replaced by `right_special[i]` if given), six back."""
    sc = Script(s)
    special = right_special or {}
    lost = set()
    for i in range(6):
        kind = special.get(i)
        if kind == "drop":
            sc.drop_outside_right(i)
            lost.add(i)
        elif kind == "one_hand":
            sc.one_handed_right(i)
        elif kind == "right_only":
            sc.right_only_right(i)
        else:
            sc.transfer_right(i)
    for i in range(6):
        if i not in lost:
            sc.transfer_left(i)
    sc.write(path, header)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    gen = "# Generated by make_scripts.py (edit that, not this file).\n"
    run(os.path.join(here, "expert.yaml"),
        gen + "# Expert: six objects left to right and back, each handed over in mid-air; brisk (about 31 s).\n")
    run(os.path.join(here, "novice-slow.yaml"),
        gen + "# Novice, too slow: every move at half the expert's speed; finishes over the 48 s proficiency time.\n",
        s=2 * EXPERT_PACE)
    run(os.path.join(here, "novice-drop.yaml"),
        gen + "# Novice, drop: object 3 is lost over the left edge of the board (outside the field); otherwise expert.\n",
        right_special={2: "drop"})
    run(os.path.join(here, "novice-one-hand.yaml"),
        gen + "# Novice, no mid-air transfer: object 2 is carried across and placed with the left hand alone.\n",
        right_special={1: "one_hand"})
    run(os.path.join(here, "novice-right-only.yaml"),
        gen + "# Novice, no mid-air transfer: object 4 is picked up and placed with the right hand alone.\n",
        right_special={3: "right_only"})
