"""Microsoft365DSC resources held as data: reports, configuration snapshots, DSC configuration data."""
