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
    let current = fs::read(&target)?;
    if current == new {
        // Another run (a second pickfix, an editor) already wrote exactly this.
        return Ok(());
    }
    if current != original {
        return Err(io::Error::other("the file changed while pickfix was working on it; not overwritten"));
    }
    temp.persist(&target).map_err(|err| err.error)?;
    Ok(())
}

/// Writes a file a fix creates or extends beside the file it fixes: replaced like [`replace_file`] when
/// it existed (`before`), otherwise created atomically, never over a file that appeared meanwhile.
pub fn write_companion(path: &Path, before: Option<&str>, new: &str) -> io::Result<()> {
    if let Some(before) = before {
        return replace_file(path, before.as_bytes(), new.as_bytes());
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new().prefix(".pickfix-").suffix(".tmp").tempfile_in(dir)?;
    temp.write_all(new.as_bytes())?;
    temp.as_file().sync_all()?;
    // A new file gets the permissions a new file would get (tempfile makes it private).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let umask_default = 0o644;
        fs::set_permissions(temp.path(), fs::Permissions::from_mode(umask_default))?;
    }
    temp.persist_noclobber(path).map_err(|err| {
        if err.error.kind() == io::ErrorKind::AlreadyExists {
            io::Error::new(io::ErrorKind::AlreadyExists, "the file appeared while pickfix was working; not overwritten")
        } else {
            err.error
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        fs::write(&path, "changed by someone else\n").unwrap();
        let err = replace_file(&path, b"what pickfix read\n", b"what pickfix made\n").unwrap_err();
        assert!(err.to_string().contains("changed while pickfix was working"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "changed by someone else\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "a temporary file was left behind");
    }

    #[test]
    fn a_file_already_holding_the_new_text_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        fs::write(&path, "new\n").unwrap();
        replace_file(&path, b"old\n", b"new\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
    }
}
