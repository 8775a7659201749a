//! In-memory stand-in for the SQLite backend of §2.1.2, enough for the demo.

use super::{Entry, Storage, StorageError};
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct SqliteStorage {
    rows: BTreeMap<u64, Entry>,
}

impl Storage for SqliteStorage {
    fn put_entry(&mut self, entry: Entry) -> Result<(), StorageError> {
        self.rows.insert(entry.id, entry);
        Ok(())
    }

    fn get_entry(&self, id: u64) -> Result<Entry, StorageError> {
        self.rows.get(&id).cloned().ok_or(StorageError::NotFound(id))
    }

    fn list_entries(&self) -> Result<Vec<Entry>, StorageError> {
        Ok(self.rows.values().cloned().collect())
    }

    fn delete_entry(&mut self, id: u64) -> Result<(), StorageError> {
        // TODO(LEDGER-42) soft-delete once the audit trail lands
        self.rows.remove(&id).map(|_| ()).ok_or(StorageError::NotFound(id))
    }
}
