//! Builders; see the instruction docs in `program/src/processor`.
