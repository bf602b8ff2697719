"""Export: the store's articles and stories as tables other tools read (:mod:`.parquet`)."""
