//! Reading and writing repository files. Reads refuse anything that is not a regular
//! file inside the root; writes are atomic (temporary file in the same folder, then
//! rename) and happen under one exclusive repository lock.

pub mod beneath;
mod lock;
mod read;
mod write;

pub use lock::RepoLock;
pub use read::{
    open_within, read_bytes, read_file, read_source, read_source_within, OpenedFile, ReadError,
    MAX_FILE_BYTES,
};
pub use write::{is_temporary, write_atomic, write_inside, WriteError, TEMP_PREFIX};
