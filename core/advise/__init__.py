"""The path advisor: which heads and layers matter (`importance`: attribution patching of one decision;
`sensitivity`: expected sensitivity over a data set), and the cheapest path that keeps decisions good enough
(`search`). Submodules are imported where used, so the command line starts without loading torch."""
