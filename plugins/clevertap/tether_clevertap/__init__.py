"""tether connector for CleverTap (work in progress: see ../NOTES.md)."""
