"""Charts from saved results (a run's ``--out`` directory or a sweep's), as matplotlib figures."""
