// PracticumPhysics module; see shared DESIGN.md for its role.
import PracticumCore
