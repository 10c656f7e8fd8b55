"""The ballot engine: the one engine that elections, motions and evaluations all use (imports only branches)."""
