//! Rig: stand-in until this stack's rig lands.
