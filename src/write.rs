//! Writes that lose nothing: a temporary file in the same folder, the original's permissions, a check
//! that the file did not change since it was read, then an atomic rename over the original.
//! A symlink is written through: the link stays, its target gets the new text.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Replaces the file at `path`, whose content was `original` when it was read, with `new`.
pub fn replace_file(path: &Path, original: &[u8], new: &[u8]) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let dir =
        target.parent().ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the file has no parent folder"))?;
    let permissions = fs::metadata(&target)?.permissions();
    if permissions.readonly() {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only"));
    }
    let mut temp = tempfile::Builder::new().prefix(".pickfix-").suffix(".tmp").tempfile_in(dir)?;
    temp.write_all(new)?;
    temp.as_file().sync_all()?;
    fs::set_permissions(temp.path(), permissions)?;
    if fs::read(&target)? != original {
        return Err(io::Error::other("the file changed while pickfix was working on it; not overwritten"));
    }
    temp.persist(&target).map_err(|err| err.error)?;
    Ok(())
}
