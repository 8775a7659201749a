//! The typed governance model. Each document kind has one parser; every command
//! works on these values, never on raw text.

pub mod anchor;
pub mod audit;
pub mod board;
pub mod codex;
pub mod fields;
pub mod gate_state;
pub mod json_locations;
pub mod lifecycle;
pub mod locked;
pub mod packet;
pub mod packet_fields;
pub mod packet_json;
pub mod pointer;
pub mod refinement;
pub mod signature;
pub mod spec;
pub mod status;
pub mod stub_contract;
pub mod validation;
pub mod wp_id;
