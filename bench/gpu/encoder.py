"""The bundled encoder on a GPU machine that cannot take it whole, and artifacts moved between the two machines.

The device call carries at most 64 MiB, and the bundled all-MiniLM-L6-v2 is 88 MB in fp32, so it travels as an fp16
checkpoint (`half`) and is upcast to fp32 there (`upcast`): the GPU runs on fp16-rounded weights. An encoder's
fingerprint covers its weights and the installed transformers version, so an artifact names the encoder of the machine
it was trained on; `refingerprint` makes artifacts name this machine's bundled encoder instead (on the GPU machine:
the shipped artifacts; back here: what was trained there, `--expect`ing the GPU machine's fingerprint).

`python -m bench.gpu.encoder half SRC DST | upcast SRC DST | fingerprint | refingerprint DIR... [--expect FP]`
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from core.model import META_FILE, bundled_model_dir, encoder_fingerprint, load_encoder

WEIGHTS = "model.safetensors"
KEPT = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")
KEPT += ("sentence_bert_config.json", "modules.json", "config_sentence_transformers.json")


def convert(source: Path, target: Path, dtype: torch.dtype) -> None:
    """Copy the checkpoint's config and tokenizer files, and its floating-point weights cast to `dtype`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in KEPT:
        if (source / name).is_file():
            shutil.copyfile(source / name, target / name)
    state = load_file(str(source / WEIGHTS))
    cast = {name: t.to(dtype) if t.is_floating_point() else t for name, t in state.items()}
    save_file({name: t.contiguous() for name, t in cast.items()}, str(target / WEIGHTS), metadata={"format": "pt"})


def refingerprint(artifacts: list[Path], expect: str | None) -> dict[str, str]:
    """Make each artifact's heads.json name this machine's bundled encoder; refuse one that names another than
    `expect` (when given). Returns {artifact: the fingerprint it named before}."""
    fingerprint = encoder_fingerprint(load_encoder()[1])
    before = {}
    for artifact in artifacts:
        meta = json.loads((artifact / META_FILE).read_text())
        named = meta.get("encoder_fingerprint")
        if expect is not None and named not in (expect, fingerprint):
            raise SystemExit(f"{artifact} names encoder {named}, not {expect}: it was not trained where expected")
        before[str(artifact)] = named
        meta["encoder_fingerprint"] = fingerprint
        (artifact / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    return before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("half", "upcast"):
        step = sub.add_parser(name)
        step.add_argument("source", type=Path, nargs="?", help="default: the bundled encoder")
        step.add_argument("target", type=Path)
    sub.add_parser("fingerprint", help="the bundled encoder's fingerprint here")
    moved = sub.add_parser("refingerprint")
    moved.add_argument("artifacts", type=Path, nargs="+")
    moved.add_argument("--expect", help="the fingerprint the artifacts must name now (the machine they came from)")
    args = parser.parse_args()
    if args.command in ("half", "upcast"):
        convert(
            args.source or bundled_model_dir(), args.target, torch.float16 if args.command == "half" else torch.float32
        )
    elif args.command == "fingerprint":
        print(encoder_fingerprint(load_encoder()[1]))
    else:
        print(json.dumps(refingerprint(args.artifacts, args.expect), indent=2))


if __name__ == "__main__":
    main()
