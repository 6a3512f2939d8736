"""PathLens core: run a chosen computation path through a transformer classifier, explain and record it."""

import os

# Nothing may download at run time: set before transformers is first imported anywhere in the package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
