// The scenario file's mappings, one catalog for the loader and the JSON Schema (see SchemaObject).
// Each entry lists its keys in the order the reference gives them, with the JSON Schema of each
// key's value; "@name" in a schema stands for the catalog entry `name`, and "@units:…" in a pattern
// for the units of that kind (Units.all). Adding a key here is what lets the loader accept it.

extension ScenarioCatalog {
    static let visual = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A mesh the viewer draws: for a body instead of its shape (which still collides), for a region in its frame beside its marker, for a layered tissue in its body's frame at the patch's centre. Anatomy, landmarks and instruments that look like themselves."}"#,
        required: ["mesh"],
        keys: [
            ("mesh", #"{"type": "string", "description": "Mesh file (glTF .glb/.gltf or OBJ), relative to the scenario file, under the same rules as a shape's asset. A glTF file's colours (each primitive's base colour, COLOR_0) and base-colour texture are drawn, unless a body gives 'color' (then the mesh is drawn in that one colour)."}"#),
            ("scale", #"{"type": "number", "exclusiveMinimum": 0, "maximum": 1000000, "description": "Factor on the mesh's coordinates (0.01 for a file in centimetres). Default 1.", "default": 1}"#),
            ("position", ##"{"$ref": "#/$defs/lengthVec", "description": "Where the mesh's origin sits in its owner's frame (a body's, a region's, or a tissue's body frame from the patch's centre). Default [0, 0, 0]."}"##),
            ("rotation", ##"{"$ref": "#/$defs/rotation"}"##),
        ],
        tail: #"{}"#)

    static let handLook = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "What the viewer draws as each tracked hand, instead of its own hand: e.g. the laparoscopic graspers an FLS task is done with. Two poses of one mesh, blended by the grip; the left hand is drawn mirrored in x."}"#,
        required: ["open", "closed"],
        keys: [
            ("open", #"{"type": "string", "description": "Mesh file (glTF or OBJ) of the open pose (grip 0), in the hand's frame: origin at the grip point (where a held body's origin sits), +y the back of the hand, fingers or jaws along -z. Same path rules as a shape's asset."}"#),
            ("closed", #"{"type": "string", "description": "Mesh file of the closed pose (grip 1): the open mesh with its vertices moved (same vertex count, order and triangles)."}"#),
            ("scale", #"{"type": "number", "exclusiveMinimum": 0, "maximum": 1000000, "description": "Factor on both meshes' coordinates. Default 1.", "default": 1}"#),
            ("position", ##"{"$ref": "#/$defs/lengthVec", "description": "Where the meshes' origin sits in the hand's frame. Default [0, 0, 0]."}"##),
            ("rotation", ##"{"$ref": "#/$defs/rotation"}"##),
        ],
        tail: #"{}"#)

    static let normalDraw = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false}"#,
        required: ["mean", "sd"],
        keys: [
            ("mean", ##"{"$ref": "#/$defs/quantity"}"##),
            ("sd", ##"{"$ref": "#/$defs/quantity"}"##),
        ],
        tail: #"{}"#)

    static let retryLimit = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false}"#,
        required: ["steps"],
        keys: [
            ("steps", ##"{"$ref": "#/$defs/stepRefs"}"##),
            ("max", #"{"type": "integer", "minimum": 1, "maximum": 1000}"#),
        ],
        tail: #"{}"#)

    static let physics = SchemaObject(
        head: #"{"type": "object", "description": "Physics settings.", "additionalProperties": false}"#,
        required: [],
        keys: [
            ("rate", #"{"description": "Physics ticks per second, 60Hz ... 10000Hz; default 240Hz (1000Hz for haptics).", "type": ["string", "number"]}"#),
            ("hand_radius", ##"{"$ref": "#/$defs/length", "description": "Radius of the sphere an empty hand collides as, 0 ... 20cm; default 1cm (a fingertip: a hand resting on a surface has its centre this far above it). Static and kinematic bodies (anatomy, tables) stop it, so the hand rests on them instead of passing through; a hand holding an instrument lets the instrument collide. 0: hands pass through everything."}"##),
        ],
        tail: #"{}"#)

    static let sphere = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A sphere about the body origin."}"#,
        required: ["radius"],
        keys: [
            ("radius", ##"{"$ref": "#/$defs/length", "description": "Radius (1e-5 m to 10 m)."}"##),
        ],
        tail: #"{}"#)

    static let capsule = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A capsule along the body's local y axis."}"#,
        required: ["radius", "length"],
        keys: [
            ("radius", ##"{"$ref": "#/$defs/length", "description": "Radius (1e-5 m to 10 m)."}"##),
            ("length", ##"{"$ref": "#/$defs/length", "description": "Length of the straight part between the two end caps (0 to 10 m)."}"##),
        ],
        tail: #"{}"#)

    static let box = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A box centred on the body origin."}"#,
        required: ["size"],
        keys: [
            ("size", ##"{"$ref": "#/$defs/lengthVec", "description": "Full edge lengths [x, y, z]; each positive."}"##),
        ],
        tail: #"{}"#)

    static let mesh = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A mesh asset."}"#,
        required: ["asset"],
        keys: [
            ("asset", #"{"type": "string", "description": "Mesh file (glTF or OBJ), relative to the scenario file; may not leave its folder except into the project's shared assets/ folder (../../assets/... from scenarios/<id>/). Must exist."}"#),
            ("scale", #"{"type": "number", "description": "Uniform scale factor (1e-6 to 1e6).", "minimum": 1e-06, "maximum": 1000000.0, "default": 1}"#),
        ],
        tail: #"{}"#)

    static let shape = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "Exactly one of sphere, capsule, box or mesh."}"#,
        required: [],
        keys: [
            ("sphere", #""@sphere""#),
            ("capsule", #""@capsule""#),
            ("box", #""@box""#),
            ("mesh", #""@mesh""#),
        ],
        tail: #"{"minProperties": 1, "maxProperties": 1}"#)

    static let spring = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "The body slides along one axis only (no motion across it, no turning), held to its initial position by a spring and damper (e.g. a CPR chest). Only on dynamic and instrument bodies."}"#,
        required: ["stiffness"],
        keys: [
            ("stiffness", ##"{"$ref": "#/$defs/stiffness", "description": "Spring stiffness along the axis (N/m, >= 0); 0 is a free slide."}"##),
            ("damping", ##"{"$ref": "#/$defs/damping", "description": "Damping along the axis (Ns/m, >= 0); default 0. 2*sqrt(stiffness*mass) is critical."}"##),
            ("axis", ##"{"$ref": "#/$defs/axisVec", "description": "Direction the body moves along, in the body's frame; default [0, 1, 0]. Must not be zero."}"##),
        ],
        tail: #"{}"#)

    static let body = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A rigid body of the scene."}"#,
        required: ["id", "shape"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("title", ##"{"$ref": "#/$defs/text", "description": "Display name (default: the id)."}"##),
            ("kind", #"{"enum": ["static", "dynamic", "instrument", "kinematic"], "default": "static", "description": "static: never moves (anatomy, table). dynamic: moves under gravity and contacts. instrument: dynamic and graspable by hands. kinematic: moved only by events."}"#),
            ("shape", #""@shape""#),
            ("mass", ##"{"$ref": "#/$defs/mass", "description": "Mass (1 mg to 10 t); default 1kg. Give mass or density, not both. Only on dynamic and instrument bodies (a static or kinematic body is never pushed)."}"##),
            ("density", ##"{"$ref": "#/$defs/density", "description": "Density (1 to 1e5 kg/m3); mass = density x shape volume. Give mass or density, not both. Only on dynamic and instrument bodies."}"##),
            ("friction", #"{"type": "number", "description": "Dynamic (sliding) friction coefficient.", "minimum": 0, "maximum": 5, "default": 0.5}"#),
            ("static_friction", #"{"type": "number", "description": "Static friction coefficient (default: friction).", "minimum": 0, "maximum": 5}"#),
            ("restitution", #"{"type": "number", "description": "Bounciness, 0 (none) to 1.", "minimum": 0, "maximum": 1, "default": 0}"#),
            ("position", ##"{"$ref": "#/$defs/lengthVec", "description": "Initial position of the body origin in world coordinates (y is up). Default [0, 0, 0]."}"##),
            ("rotation", ##"{"$ref": "#/$defs/rotation"}"##),
            ("tip", ##"{"$ref": "#/$defs/lengthVec", "description": "Reference point in the body frame (an instrument's tip); distance, depth, angle and inside queries use it. Default [0, 0, 0]."}"##),
            ("axis", ##"{"$ref": "#/$defs/axisVec", "description": "Shaft direction in the body frame, for angle queries. Default [0, 1, 0]."}"##),
            ("color", ##"{"$ref": "#/$defs/color"}"##),
            ("spring", #""@spring""#),
            ("needle", ##"{"$ref": "#/$defs/boolean", "description": "True for a needle: punctures, depth and attempts are tracked for it.", "default": false}"##),
            ("two_handed", ##"{"$ref": "#/$defs/boolean", "description": "True if both hands may hold this instrument at once (a hand-over, two-handed compressions); each hand pulls it through its own coupling. Otherwise a body held by one hand cannot be grasped by the other.", "default": false}"##),
            ("visual", #""@visual""#),
        ],
        tail: #"{"not": {"required": ["mass", "density"]}, "allOf": [{"if": {"properties": {"kind": {"enum": ["static", "kinematic"]}}}, "then": {"not": {"anyOf": [{"required": ["mass"]}, {"required": ["density"]}, {"required": ["spring"]}]}}}, {"if": {"not": {"required": ["kind"]}}, "then": {"not": {"anyOf": [{"required": ["mass"]}, {"required": ["density"]}, {"required": ["spring"]}]}}}]}"#)

    static let layer = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A tissue layer, listed from the surface down. Referred to as tissue_id.layer_id."}"#,
        required: ["id", "thickness"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("preset", #"{"enum": ["skin", "fat", "fascia", "muscle", "vein wall", "artery wall", "lumen", "pleura", "pleural space", "ligament", "ligamentum flavum", "epidural space", "dura", "subarachnoid space"], "description": "Typical values for this tissue (kind, stiffness, puncture_force, friction, cutting_force); keys given beside it override them."}"#),
            ("kind", #"{"enum": ["tissue", "vessel_wall", "lumen", "cavity"], "default": "tissue", "description": "What the layer is: tissue, vessel_wall (resists like tissue), lumen (flashback; a resisting layer beyond it is a back-wall puncture) or cavity (a space). Default: the preset's, else tissue."}"#),
            ("lumen", ##"{"$ref": "#/$defs/boolean", "description": "lumen: true is the same as kind: lumen; lumen: false turns a preset's lumen into tissue. Must agree with kind when both are given."}"##),
            ("thickness", ##"{"$ref": "#/$defs/length", "description": "Layer thickness (1e-5 m to 1 m)."}"##),
            ("stiffness", ##"{"$ref": "#/$defs/stiffness", "description": "Resistance to indentation before puncture (N/m, >= 0); default the preset's, else 500N/m."}"##),
            ("puncture_force", ##"{"$ref": "#/$defs/force", "description": "Force needed to puncture the layer (0 to 1000 N); default the preset's, else 0."}"##),
            ("friction", ##"{"$ref": "#/$defs/stiffness", "description": "Friction on a needle shaft per metre of shaft in this layer (N/m, >= 0); default the preset's, else 20N/m."}"##),
            ("cutting_force", ##"{"$ref": "#/$defs/force", "description": "Extra force on a needle advancing deeper into the layer after puncture (0 to 1000 N); default the preset's, else 0."}"##),
        ],
        tail: #"{}"#)

    static let deformable = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "Simulate the patch as a deformable block (XPBD)."}"#,
        required: ["youngs_modulus"],
        keys: [
            ("youngs_modulus", ##"{"$ref": "#/$defs/pressure", "description": "Young's modulus (1 Pa to 1 GPa), e.g. 50kPa."}"##),
            ("poisson_ratio", #"{"type": "number", "description": "Poisson ratio.", "minimum": 0, "maximum": 0.49, "default": 0.45}"#),
            ("density", ##"{"$ref": "#/$defs/density", "description": "Density (>= 1 kg/m3); default 1000kg/m3."}"##),
            ("resolution", #"{"type": "array", "minItems": 3, "maxItems": 3, "items": {"type": "integer", "minimum": 2, "maximum": 64}, "description": "Grid points [nx, ny, nz], each 2 to 64; default [9, 5, 9]."}"#),
        ],
        tail: #"{}"#)

    static let tissue = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A layered tissue patch on a body."}"#,
        required: ["id", "body", "layers"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("body", ##"{"$ref": "#/$defs/id", "description": "The body the tissue patch is attached to."}"##),
            ("position", ##"{"$ref": "#/$defs/lengthVec", "description": "Centre of the surface in the body's frame. Default [0, 0, 0]."}"##),
            ("normal", ##"{"$ref": "#/$defs/axisVec", "description": "Outward surface normal in the body's frame. Default [0, 1, 0]."}"##),
            ("size", ##"{"$ref": "#/$defs/lengthVec", "description": "Full size of the patch [x, y, z]; default [10cm, 5cm, 10cm]."}"##),
            ("layers", #"{"type": "array", "minItems": 1, "items": "@layer", "description": "Layers from the surface inwards."}"#),
            ("deformable", #""@deformable""#),
            ("needle_model", #"{"enum": ["force", "geometric"], "default": "force", "description": "How needles interact with this tissue: force (puncture when the axial force reaches each layer's puncture force) or geometric (puncture on crossing each layer's top)."}"#),
            ("visual", #""@visual""#),
        ],
        tail: #"{}"#)

    static let region = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A named region or landmark: a sphere (radius) or a box (size)."}"#,
        required: ["id"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("title", ##"{"$ref": "#/$defs/text", "description": "Display name (default: the id)."}"##),
            ("body", ##"{"$ref": "#/$defs/id", "description": "Body whose frame the region moves with; omit for world coordinates."}"##),
            ("position", ##"{"$ref": "#/$defs/lengthVec", "description": "Centre, in the body's frame (or world). Default [0, 0, 0]."}"##),
            ("radius", ##"{"$ref": "#/$defs/length", "description": "Radius of a spherical region (1e-4 m to 10 m)."}"##),
            ("size", ##"{"$ref": "#/$defs/lengthVec", "description": "Full size [x, y, z] of a box region."}"##),
            ("color", ##"{"$ref": "#/$defs/color"}"##),
            ("visual", #""@visual""#),
        ],
        tail: #"{"oneOf": [{"required": ["radius"]}, {"required": ["size"]}]}"#)

    static let joint = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A joint between two bodies (the parts of a compound instrument) or a body and the world."}"#,
        required: ["id", "kind", "body", "to"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("kind", #"{"enum": ["fixed", "hinge", "slide"], "description": "fixed welds the body to the other; hinge lets it turn about the axis only; slide lets it move along the axis only (sprung by stiffness, damped by damping)."}"#),
            ("body", ##"{"$ref": "#/$defs/id", "description": "The part that moves (e.g. a plunger); anchor and axis are in its frame."}"##),
            ("to", ##"{"$ref": "#/$defs/id", "description": "The body that holds it (e.g. the barrel), or 'world'."}"##),
            ("anchor", ##"{"$ref": "#/$defs/lengthVec", "description": "The point the two keep together, in the body's frame; default [0, 0, 0] (the body's position)."}"##),
            ("axis", ##"{"$ref": "#/$defs/axisVec", "description": "Hinge or slide axis in the body's frame; default the body's axis. Not on fixed joints; must not be zero."}"##),
            ("stiffness", ##"{"$ref": "#/$defs/stiffness", "description": "Slide only: spring along the axis back to the start (N/m, 0 to 1e9); default 0, a free slide."}"##),
            ("damping", ##"{"$ref": "#/$defs/damping", "description": "Slide only: damping along the axis (Ns/m, 0 to 1e9); default 0."}"##),
            ("limits", ##"{"type": "array", "minItems": 2, "maxItems": 2, "items": {"anyOf": [{"$ref": "#/$defs/length"}, {"$ref": "#/$defs/angleDeg"}]}, "description": "[lowest, highest] travel from the start: lengths for a slide (within 100 m), angles for a hinge (within -180deg to 180deg; bare numbers are degrees). Must include 0. Not on fixed joints."}"##),
        ],
        tail: #"{}"#)

    static let scene = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "The physical scene."}"#,
        required: [],
        keys: [
            ("gravity", ##"{"description": "Gravity [x, y, z]; default [0, -9.81m/s2, 0].", "type": "array", "minItems": 3, "maxItems": 3, "items": {"$ref": "#/$defs/acceleration", "description": "m/s2"}}"##),
            ("bodies", #"{"type": ["array", "null"], "items": "@body"}"#),
            ("tissues", #"{"type": ["array", "null"], "items": "@tissue"}"#),
            ("regions", #"{"type": ["array", "null"], "items": "@region"}"#),
            ("joints", #"{"type": ["array", "null"], "items": "@joint"}"#),
        ],
        tail: #"{}"#)

    static let variable = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A state variable such as a vital sign."}"#,
        required: ["id", "initial"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("title", ##"{"$ref": "#/$defs/text", "description": "Display name (default: the id)."}"##),
            ("unit", #"{"type": "string", "description": "Display unit; bare numbers in initial/min/max are in it and in the trend per second. Omit for a plain number. Quote \"%\".", "examples": ["bpm", "mmHg", "cmH2O", "mL", "%", "/min", "s"]}"#),
            ("initial", ##"{"description": "Value at the start (required), or drawn per run from the run's seed.", "anyOf": [{"$ref": "#/$defs/quantity"}, {"type": "object", "additionalProperties": false, "required": ["uniform"], "properties": {"uniform": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"$ref": "#/$defs/quantity"}}}}, {"type": "object", "additionalProperties": false, "required": ["normal"], "properties": {"normal": "@normalDraw"}}, {"type": "object", "additionalProperties": false, "required": ["choice"], "properties": {"choice": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"$ref": "#/$defs/quantity"}}}}]}"##),
            ("min", ##"{"$ref": "#/$defs/quantity", "description": "Lower bound (values are clamped)."}"##),
            ("max", ##"{"$ref": "#/$defs/quantity", "description": "Upper bound (values are clamped)."}"##),
            ("trend", ##"{"$ref": "#/$defs/quantity", "description": "Rate of change: a bare number is unit per second; or give a rate unit, e.g. -3mmHg/min, 2%/min. Default 0."}"##),
            ("hidden", #"{"type": "boolean", "description": "Bookkeeping, not a sign: kept off the viewer's monitor and the debrief plots. Default true for a plain number without a unit, else false."}"#),
        ],
        tail: #"{}"#)

    static let step = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "A procedure step."}"#,
        required: ["id", "title", "complete_when"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("title", ##"{"$ref": "#/$defs/text", "description": "Short name shown to the trainee."}"##),
            ("instructions", ##"{"$ref": "#/$defs/text", "description": "What to do."}"##),
            ("hints", ##"{"$ref": "#/$defs/texts", "description": "A hint or a list of hints."}"##),
            ("complete_when", ##"{"$ref": "#/$defs/expression", "description": "Condition that completes the step while it is active."}"##),
            ("fail_when", ##"{"$ref": "#/$defs/expression", "description": "Condition that fails the step while it is active."}"##),
            ("precondition", ##"{"$ref": "#/$defs/expression", "description": "Extra condition that must hold before the step becomes active."}"##),
            ("after", ##"{"$ref": "#/$defs/stepRefs", "description": "Steps that must all be settled (completed, failed or skipped) first. Omitted (and no after_any): the previous step in the list. [] : available from the start."}"##),
            ("after_any", ##"{"$ref": "#/$defs/stepRefs", "description": "At least one of these steps must be completed first: a join after alternative branches."}"##),
            ("choice", ##"{"$ref": "#/$defs/id", "description": "Choice group name: steps sharing it are alternatives; when one completes, the others are not taken."}"##),
            ("optional", ##"{"$ref": "#/$defs/boolean", "description": "Optional: does not block successors once active, and is not required for completion.", "default": false}"##),
            ("enabled", ##"{"$ref": "#/$defs/boolean", "description": "false: the step waits until an event's 'enable' effect.", "default": true}"##),
            ("time_limit", ##"{"$ref": "#/$defs/time", "description": "Time the step may stay active before it fails (>= 1ms)."}"##),
            ("highlight", ##"{"description": "Regions the viewer highlights while the step is active.", "anyOf": [{"$ref": "#/$defs/id"}, {"type": "array", "items": {"$ref": "#/$defs/id"}}, {"type": "null"}]}"##),
        ],
        tail: #"{}"#)

    static let procedure = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "The steps and their order."}"#,
        required: ["steps"],
        keys: [
            ("steps", #"{"type": "array", "minItems": 1, "items": "@step"}"#),
        ],
        tail: #"{}"#)

    static let move = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "Move a body to a pose."}"#,
        required: ["body"],
        keys: [
            ("body", ##"{"$ref": "#/$defs/id"}"##),
            ("position", ##"{"$ref": "#/$defs/lengthVec", "description": "New position (world); default [0, 0, 0]."}"##),
            ("rotation", ##"{"$ref": "#/$defs/rotation"}"##),
        ],
        tail: #"{}"#)

    static let material = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "Change a body's surface material (omitted values reset to the defaults)."}"#,
        required: ["body"],
        keys: [
            ("body", ##"{"$ref": "#/$defs/id"}"##),
            ("friction", #"{"type": "number", "description": "Friction coefficient (static and dynamic).", "minimum": 0, "maximum": 5, "default": 0.5}"#),
            ("restitution", #"{"type": "number", "description": "Restitution.", "minimum": 0, "maximum": 1, "default": 0}"#),
        ],
        tail: #"{}"#)

    static let end = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "End the run."}"#,
        required: ["reason"],
        keys: [
            ("reason", ##"{"$ref": "#/$defs/text", "description": "Why the run ended (shown in the report)."}"##),
            ("outcome", #"{"enum": ["failed", "completed"], "default": "failed"}"#),
        ],
        tail: #"{}"#)

    static let effect = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "One effect per list item: set, trend, message, enable, skip, move, material, error or end."}"#,
        required: [],
        keys: [
            ("set", ##"{"type": "object", "propertyNames": {"$ref": "#/$defs/id"}, "additionalProperties": {"anyOf": [{"$ref": "#/$defs/quantity"}, {"$ref": "#/$defs/expression"}]}, "description": "Set variables: {variable: value with unit, or an expression of the variable's kind evaluated when the effect runs}, e.g. {heart_rate: 130bpm}, {heart_rate: heart_rate + 20bpm}."}"##),
            ("trend", ##"{"type": "object", "propertyNames": {"$ref": "#/$defs/id"}, "additionalProperties": {"$ref": "#/$defs/quantity"}, "description": "Change variables' trends: {variable: rate}, e.g. {spo2: -4%/min}."}"##),
            ("message", ##"{"$ref": "#/$defs/text", "description": "Show a message to the trainee."}"##),
            ("enable", ##"{"$ref": "#/$defs/stepRefs", "description": "Enable steps declared with enabled: false."}"##),
            ("skip", ##"{"$ref": "#/$defs/stepRefs", "description": "Mark pending or active steps skipped."}"##),
            ("retry", ##"{"description": "Send steps back to pending for another attempt (with the steps waiting on them that are not completed); max limits how often each step is sent back.", "anyOf": [{"$ref": "#/$defs/stepRefs"}, "@retryLimit"]}"##),
            ("move", #""@move""#),
            ("material", #""@material""#),
            ("error", ##"{"$ref": "#/$defs/id", "description": "Raise a rubric error (an id from rubric.errors)."}"##),
            ("end", #""@end""#),
        ],
        tail: #"{"minProperties": 1, "maxProperties": 1}"#)

    static let event = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "An event or complication: exactly one trigger (or only instructor: true) and a list of effects."}"#,
        required: ["id", "do"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("title", ##"{"$ref": "#/$defs/text", "description": "Display name."}"##),
            ("when", ##"{"$ref": "#/$defs/expression", "description": "Trigger: fires when this condition becomes true."}"##),
            ("at", ##"{"$ref": "#/$defs/time", "description": "Trigger: fires when the run's time reaches this."}"##),
            ("on_start", ##"{"$ref": "#/$defs/id", "description": "Trigger: fires when this step becomes active."}"##),
            ("on_complete", ##"{"$ref": "#/$defs/id", "description": "Trigger: fires when this step completes."}"##),
            ("on_fail", ##"{"$ref": "#/$defs/id", "description": "Trigger: fires when this step fails."}"##),
            ("probability", ##"{"description": "Chance (0 to 1, or 0% to 100%) that the event happens in a run, drawn from the run's seed.", "$ref": "#/$defs/quantity"}"##),
            ("once", ##"{"$ref": "#/$defs/boolean", "description": "true: fire at most once. false: fire on every false-to-true change of the trigger.", "default": true}"##),
            ("debounce", ##"{"$ref": "#/$defs/time", "description": "With once: false and a 'when': after the event fires, it fires again only once its trigger has been false for at least this long (0 to 3600 s), e.g. 0.5s.", "default": "0s"}"##),
            ("instructor", ##"{"$ref": "#/$defs/boolean", "description": "true: an instructor may fire this event during a live session (practicum serve); with no other trigger, only the instructor fires it.", "default": false}"##),
            ("do", #"{"type": "array", "items": "@effect", "description": "Effects, applied in order."}"#),
        ],
        tail: #"{"oneOf": [{"required": ["when"]}, {"required": ["at"]}, {"required": ["on_start"]}, {"required": ["on_complete"]}, {"required": ["on_fail"]}, {"required": ["instructor"], "properties": {"instructor": {"const": true}}, "not": {"anyOf": [{"required": ["when"]}, {"required": ["at"]}, {"required": ["on_start"]}, {"required": ["on_complete"]}, {"required": ["on_fail"]}]}}]}"#)

    static let metric = SchemaObject(
        head: #"{"type": "object", "description": "A rubric metric from the scoring library (docs/metrics.md), with its parameters as further keys."}"#,
        required: ["id", "metric"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id", "description": "Metric id (unique among metrics)."}"##),
            ("title", ##"{"$ref": "#/$defs/text", "description": "Display name."}"##),
            ("metric", #""@metricNames""#),
            ("target", ##"{"$ref": "#/$defs/target"}"##),
            ("weight", #"{"type": "number", "description": "Points awarded when the target is met.", "minimum": 0, "maximum": 100, "default": 0}"#),
            ("value", ##"{"$ref": "#/$defs/expression", "description": "sampled only: the number to capture, e.g. puncture_angle(needle, arm.skin)."}"##),
            ("at", ##"{"$ref": "#/$defs/expression", "description": "sampled only: captured on the first tick this condition is true."}"##),
        ],
        tail: #"{}"#)

    static let rubricError = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "An error or critical error (Proficiency-Based Progression)."}"#,
        required: ["id", "feedback"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("title", ##"{"$ref": "#/$defs/text", "description": "Display name."}"##),
            ("when", ##"{"$ref": "#/$defs/expression", "description": "Raised each time this becomes true (up to max_count). Omit to raise it only from events."}"##),
            ("at_end", ##"{"$ref": "#/$defs/expression", "description": "Checked once when the run ends; raised if true then."}"##),
            ("penalty", #"{"type": "number", "description": "Points subtracted each time it is raised.", "minimum": 0, "maximum": 100, "default": 0}"#),
            ("critical", ##"{"$ref": "#/$defs/boolean", "description": "A critical error: the run fails when pass.no_critical_errors is true.", "default": false}"##),
            ("feedback", ##"{"$ref": "#/$defs/text", "description": "What the trainee should do instead (debrief)."}"##),
            ("max_count", #"{"type": "integer", "minimum": 1, "maximum": 1000, "default": 1, "description": "Most times it is counted."}"#),
            ("debounce", ##"{"$ref": "#/$defs/time", "description": "After the error occurs, 'when' raises it again only once it has been false for at least this long (0 to 3600 s): one bone strike is one error, e.g. 0.5s.", "default": "0s"}"##),
        ],
        tail: #"{}"#)

    static let pass = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "When a run passes (proficiency benchmark)."}"#,
        required: [],
        keys: [
            ("min_score", #"{"type": "number", "description": "Smallest passing score.", "minimum": 0, "maximum": 100, "default": 70}"#),
            ("no_critical_errors", ##"{"$ref": "#/$defs/boolean", "description": "Fail the run if any critical error occurred.", "default": true}"##),
            ("require_complete", ##"{"$ref": "#/$defs/boolean", "description": "Fail the run unless every required step completed.", "default": true}"##),
            ("metrics", ##"{"description": "Metric ids whose targets must be met.", "anyOf": [{"$ref": "#/$defs/id"}, {"type": "array", "items": {"$ref": "#/$defs/id"}}]}"##),
        ],
        tail: #"{}"#)

    static let rubric = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false, "description": "How a run is scored."}"#,
        required: [],
        keys: [
            ("step_points", #"{"type": "number", "description": "Points for completing the required steps.", "minimum": 0, "maximum": 100, "default": 0}"#),
            ("out_of_order_penalty", #"{"type": "number", "description": "Points subtracted for each step done out of order.", "minimum": 0, "maximum": 100, "default": 0}"#),
            ("metrics", #"{"type": "array", "items": "@metric"}"#),
            ("errors", #"{"type": "array", "items": "@rubricError"}"#),
            ("pass", #""@pass""#),
        ],
        tail: #"{}"#)

    static let viewpoint = SchemaObject(
        head: #"{"type": "object", "description": "Where the viewer's camera starts.", "additionalProperties": false}"#,
        required: ["eye", "look_at"],
        keys: [
            ("eye", ##"{"$ref": "#/$defs/lengthVec"}"##),
            ("look_at", ##"{"$ref": "#/$defs/lengthVec"}"##),
        ],
        tail: #"{}"#)

    static let gauge = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false}"#,
        required: ["id", "value", "range"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("title", ##"{"$ref": "#/$defs/text"}"##),
            ("value", ##"{"$ref": "#/$defs/expression", "description": "The number shown, e.g. displacement(chest)."}"##),
            ("unit", #"{"type": "string", "description": "Display unit of the value's kind, e.g. cm, /min, deg."}"#),
            ("range", #"{"type": "string", "description": "The bar's span, e.g. \"0cm...8cm\"."}"#),
            ("target", ##"{"$ref": "#/$defs/target"}"##),
            ("when", ##"{"$ref": "#/$defs/expression", "description": "Shown only while this holds."}"##),
            ("assist", #"{"type": "boolean", "description": "Shown only with assists on (G)."}"#),
            ("peak", ##"{"$ref": "#/$defs/time", "description": "Show the largest value of the last this many seconds."}"##),
        ],
        tail: #"{}"#)

    static let cuePart = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false}"#,
        required: ["id", "body", "shape"],
        keys: [
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("body", ##"{"$ref": "#/$defs/id"}"##),
            ("shape", #""@shape""#),
            ("position", ##"{"$ref": "#/$defs/lengthVec"}"##),
            ("rotation", ##"{"$ref": "#/$defs/rotation"}"##),
            ("color", ##"{"$ref": "#/$defs/color"}"##),
        ],
        tail: #"{}"#)

    static let appearance = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false}"#,
        required: ["of"],
        keys: [
            ("of", ##"{"$ref": "#/$defs/id"}"##),
            ("when", ##"{"$ref": "#/$defs/expression"}"##),
            ("color", ##"{"$ref": "#/$defs/color"}"##),
            ("visible", #"{"type": "boolean"}"#),
        ],
        tail: #"{}"#)

    static let sound = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false}"#,
        required: [],
        keys: [
            ("metronome", #"{"type": ["string", "number"], "description": "A rate, e.g. 110/min."}"#),
            ("while", ##"{"$ref": "#/$defs/expression"}"##),
            ("tone", #"{"type": ["string", "number"], "description": "A pitch, e.g. 660Hz."}"#),
            ("on", ##"{"$ref": "#/$defs/expression"}"##),
            ("duration", ##"{"$ref": "#/$defs/time"}"##),
            ("gain", #"{"type": "number", "minimum": 0, "maximum": 1}"#),
        ],
        tail: #"{}"#)

    static let key = SchemaObject(
        head: #"{"type": "object", "additionalProperties": false}"#,
        required: ["button", "key"],
        keys: [
            ("button", #"{"type": "string"}"#),
            ("key", #"{"type": "string", "pattern": "^[BNMJKLUIOYZbnmjkluioyz0-9]$"}"#),
            ("title", ##"{"$ref": "#/$defs/text"}"##),
        ],
        tail: #"{}"#)

    static let cues = SchemaObject(
        head: #"{"type": "object", "description": "What the trainee sees and hears while practising: gauges, parts, appearance, sounds, keys, the opening viewpoint. Display only, never scored.", "additionalProperties": false}"#,
        required: [],
        keys: [
            ("errors", #"{"enum": ["live", "debrief"], "description": "live (default): each rubric error's feedback as it happens; debrief: only after the run."}"#),
            ("viewpoint", #""@viewpoint""#),
            ("hands", #""@handLook""#),
            ("gauges", #"{"type": "array", "items": "@gauge"}"#),
            ("parts", #"{"type": "array", "items": "@cuePart"}"#),
            ("appearance", #"{"type": "array", "items": "@appearance"}"#),
            ("sounds", #"{"type": "array", "items": "@sound"}"#),
            ("keys", #"{"type": "array", "items": "@key"}"#),
        ],
        tail: #"{}"#)

    static let top = SchemaObject(
        head: #"{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Practicum scenario (practicum/1)", "$comment": "Generated by practicum schema from the catalog the loader reads scenario files by (Sources/PracticumScenario/Schema), the unit table (Sources/PracticumCore/Units.swift) and the metric catalog (Sources/PracticumScoring/MetricCatalog.swift); do not edit. Quantity patterns accept each table unit and one level of compound units A/B.", "description": "A VR procedure-training scenario. Reference: docs/scenario-format.md. This schema helps editors; 'practicum validate' is authoritative (it also checks ids, units of expressions, the step graph and assets).", "type": "object", "additionalProperties": false}"#,
        required: ["id", "title", "version", "scene", "procedure"],
        keys: [
            ("format", #"{"const": "practicum/1", "description": "Format version; optional."}"#),
            ("id", ##"{"$ref": "#/$defs/id"}"##),
            ("title", ##"{"$ref": "#/$defs/text", "description": "Procedure title."}"##),
            ("version", ##"{"$ref": "#/$defs/text", "description": "Version of this scenario, e.g. \"1.0\"."}"##),
            ("description", ##"{"$ref": "#/$defs/text", "description": "What the scenario is about."}"##),
            ("objectives", ##"{"$ref": "#/$defs/texts", "description": "Learning objectives (text or list)."}"##),
            ("time_limit", ##"{"$ref": "#/$defs/time", "description": "Simulated time after which the run ends (>= 1ms)."}"##),
            ("physics", #""@physics""#),
            ("scene", #""@scene""#),
            ("variables", #"{"type": ["array", "null"], "items": "@variable", "description": "State variables (vital signs...)."}"#),
            ("groups", #"{"description": "Named sets of ids; a yes/no query takes a group where it takes one id, meaning any of its members (inside(objects, field)).", "type": ["object", "null"], "additionalProperties": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"type": "string"}}}"#),
            ("conditions", #"{"type": ["object", "null"], "description": "Named conditions and values: each name stands for its expression wherever it is used, as if written there (see 'Named conditions and values').", "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9_-]*$", "maxLength": 64}, "additionalProperties": {"type": ["string", "number", "boolean"], "description": "An expression: a condition or a value."}}"#),
            ("procedure", #""@procedure""#),
            ("events", #"{"type": ["array", "null"], "items": "@event", "description": "Events and complications."}"#),
            ("rubric", #""@rubric""#),
            ("cues", #""@cues""#),
        ],
        tail: #"{}"#)

    /// Named value schemas (`$defs`), without the metric parameters (generated from MetricCatalog).
    static let definitions: [(String, String)] = [
        ("id", #"{"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_-]{0,63}$", "description": "An id: ASCII letters, digits, '_' and '-', starting with a letter, at most 64 characters. Unique across bodies, tissues, regions, variables, steps, events and rubric errors; 'left_hand' and 'right_hand' are built in. Use '_' rather than '-' before a digit (step-2 cannot be referred to in an expression)."}"#),
        ("text", #"{"type": ["string", "number", "boolean"], "description": "Text (any single YAML value)."}"#),
        ("texts", ##"{"anyOf": [{"$ref": "#/$defs/text"}, {"type": "array", "items": {"$ref": "#/$defs/text"}}, {"type": "null"}]}"##),
        ("boolean", #"{"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": "^([Tt]rue|TRUE|[Ff]alse|FALSE|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)$"}]}"#),
        ("expression", #"{"type": ["string", "boolean"], "minLength": 1, "description": "An expression in the scenario expression language, e.g. \"held(contact_force(gauze, arm) >= 15N, 10s)\". Type- and unit-checked by 'practicum validate'. Functions include the queries, held, abs, min, max, clamp, sqrt, sin, cos, tan, asin, acos, atan2, prev and rate. Write 'not', never a leading '!' (YAML reads '!' as a tag)."}"#),
        ("quantity", #"{"description": "A number with an optional unit, e.g. 80, 120bpm, -2mmHg/min, 95%.", "anyOf": [{"type": "number"}, {"type": "string", "pattern": "^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*[A-Za-z%/0-9]*\\s*$"}]}"#),
        ("color", ##"{"type": "string", "pattern": "^#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$", "description": "RGB or RGBA colour as hex, \"#rrggbb\" or \"#rrggbbaa\". Quote it: '#' starts a YAML comment."}"##),
        ("target", #"{"type": "string", "pattern": "^\\s*((<=|>=|<|>)\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*[A-Za-z%/0-9]*|[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*[A-Za-z%/0-9]*\\s*\\.\\.\\.\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*[A-Za-z%/0-9]*)\\s*$", "description": "A range \"10deg...30deg\" or a threshold \"<= 40cm\", \">= 80%\", \"< 2min\", \"> 0\", in the metric's unit. Quote thresholds: a leading '>' starts a YAML block.", "examples": ["10deg...30deg", "<= 40cm", ">= 80%"]}"#),
        ("length", #"{"description": "A length with its unit, e.g. 2mm. A bare 0 is zero in any unit.", "anyOf": [{"type": "string", "pattern": "^\\s*([-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(@units:length)|[-+]?0+(\\.0*)?)\\s*$"}, {"type": "number", "const": 0}], "examples": ["2mm"]}"#),
        ("mass", #"{"description": "A mass with its unit, e.g. 20g. A bare 0 is zero in any unit.", "anyOf": [{"type": "string", "pattern": "^\\s*([-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(@units:mass)|[-+]?0+(\\.0*)?)\\s*$"}, {"type": "number", "const": 0}], "examples": ["20g"]}"#),
        ("time", #"{"description": "A time with its unit, e.g. 30s. A bare 0 is zero in any unit.", "anyOf": [{"type": "string", "pattern": "^\\s*([-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(@units:time)|[-+]?0+(\\.0*)?)\\s*$"}, {"type": "number", "const": 0}], "examples": ["30s"]}"#),
        ("angle", #"{"description": "A angle with its unit, e.g. 30deg. A bare 0 is zero in any unit.", "anyOf": [{"type": "string", "pattern": "^\\s*([-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(@units:angle)|[-+]?0+(\\.0*)?)\\s*$"}, {"type": "number", "const": 0}], "examples": ["30deg"]}"#),
        ("force", #"{"description": "A force with its unit, e.g. 1.2N. A bare 0 is zero in any unit.", "anyOf": [{"type": "string", "pattern": "^\\s*([-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(@units:force)|[-+]?0+(\\.0*)?)\\s*$"}, {"type": "number", "const": 0}], "examples": ["1.2N"]}"#),
        ("pressure", #"{"description": "A pressure with its unit, e.g. 50kPa. A bare 0 is zero in any unit.", "anyOf": [{"type": "string", "pattern": "^\\s*([-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(@units:pressure)|[-+]?0+(\\.0*)?)\\s*$"}, {"type": "number", "const": 0}], "examples": ["50kPa"]}"#),
        ("stiffness", #"{"description": "A stiffness with its unit, e.g. 800N/m. A bare 0 is zero in any unit.", "anyOf": [{"type": "string", "pattern": "^\\s*([-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(@units:stiffness)|[-+]?0+(\\.0*)?)\\s*$"}, {"type": "number", "const": 0}], "examples": ["800N/m"]}"#),
        ("damping", #"{"description": "A damping with its unit, e.g. 5Ns/m. A bare 0 is zero in any unit.", "anyOf": [{"type": "string", "pattern": "^\\s*([-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(@units:damping)|[-+]?0+(\\.0*)?)\\s*$"}, {"type": "number", "const": 0}], "examples": ["5Ns/m"]}"#),
        ("density", #"{"description": "A density with its unit, e.g. 1000kg/m3. A bare 0 is zero in any unit.", "anyOf": [{"type": "string", "pattern": "^\\s*([-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(@units:density)|[-+]?0+(\\.0*)?)\\s*$"}, {"type": "number", "const": 0}], "examples": ["1000kg/m3"]}"#),
        ("acceleration", #"{"description": "A acceleration with its unit, e.g. -9.81m/s2. A bare 0 is zero in any unit.", "anyOf": [{"type": "string", "pattern": "^\\s*([-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(@units:acceleration)|[-+]?0+(\\.0*)?)\\s*$"}, {"type": "number", "const": 0}], "examples": ["-9.81m/s2"]}"#),
        ("angleDeg", #"{"description": "An angle; a bare number is in degrees (e.g. 90 or 0.5rad).", "anyOf": [{"type": "string", "pattern": "^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(@units:angle)?\\s*$"}, {"type": "number"}], "examples": ["30deg"]}"#),
        ("lengthVec", ##"{"description": "[x, y, z], each a length with its unit (e.g. [0, 0.8m, 5cm]).", "type": "array", "minItems": 3, "maxItems": 3, "items": {"$ref": "#/$defs/length"}}"##),
        ("axisVec", #"{"description": "A direction [x, y, z] of plain numbers (normalised on load); not zero.", "type": "array", "minItems": 3, "maxItems": 3, "items": {"type": "number"}}"#),
        ("rotation", ##"{"description": "Rotation [rx, ry, rz] about x, then y, then z; degrees unless a unit is given.", "type": "array", "minItems": 3, "maxItems": 3, "items": {"$ref": "#/$defs/angleDeg"}}"##),
        ("stepRefs", ##"{"description": "A step id or a list of step ids.", "anyOf": [{"$ref": "#/$defs/id"}, {"type": "array", "items": {"$ref": "#/$defs/id"}}, {"type": "null"}]}"##),
    ]
}
