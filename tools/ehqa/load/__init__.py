"""Loading: files on disk to the typed in-memory model. The only place that reads data files."""
