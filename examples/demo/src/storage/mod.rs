//! The Storage trait (Master Spec §2.1, [CX-DBP-001]): every persistence call goes
//! through it, so a second backend is a new impl, not a rewrite.

pub mod sqlite;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: u64,
    pub account: String,
    pub amount_cents: i64,
}

#[derive(Debug)]
pub enum StorageError {
    /// STO-001: the entry does not exist.
    NotFound(u64),
    /// STO-002: the backend failed.
    Backend(String),
}

pub trait Storage {
    fn put_entry(&mut self, entry: Entry) -> Result<(), StorageError>;
    fn get_entry(&self, id: u64) -> Result<Entry, StorageError>;
    fn list_entries(&self) -> Result<Vec<Entry>, StorageError>;
    fn delete_entry(&mut self, id: u64) -> Result<(), StorageError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_carries_the_id() {
        let e = StorageError::NotFound(7);
        assert!(matches!(e, StorageError::NotFound(7)));
        println!("{e:?}"); // test code may print; production code may not
    }
}
