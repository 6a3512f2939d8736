"""`core.model.tokens`: a special token's string typed in a text is read as plain text on every kind of tokenizer
(WordPiece as BERT, byte-level BPE as RoBERTa / GPT-2 / ModernBERT, SentencePiece-style Unigram as DeBERTa-v3), and
the withheld placeholder `[UNK]` stays one unknown token."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast

from core.model import LoadedModel, encode, encode_ids
from core.run import PathEngine

CORPUS = ["a gripping, beautifully acted film", "dull and far too long", "mail me at someone or call later"] * 20


def _trained(model: models.Model, trainer: trainers.Trainer, pre: pre_tokenizers.PreTokenizer) -> Tokenizer:
    tokenizer = Tokenizer(model)
    tokenizer.pre_tokenizer = pre
    tokenizer.train_from_iterator(CORPUS, trainer)
    return tokenizer


def _wrapped(raw: Tokenizer, first: str, last: str, unknown: str, pad: str, mask: str) -> PreTrainedTokenizerFast:
    """`raw` as a Hugging Face tokenizer that adds `first` and `last` around a text, as a classifier's does."""
    ids = [(first, raw.token_to_id(first)), (last, raw.token_to_id(last))]
    raw.post_processor = processors.TemplateProcessing(single=f"{first} $A {last}", special_tokens=ids)
    roles = {"bos_token": first, "eos_token": last, "unk_token": unknown, "pad_token": pad, "mask_token": mask}
    return PreTrainedTokenizerFast(tokenizer_object=raw, **roles)


def _roberta_like() -> PreTrainedTokenizerFast:
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    alphabet = pre_tokenizers.ByteLevel.alphabet()
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=specials, initial_alphabet=alphabet)
    raw = _trained(models.BPE(unk_token="<unk>"), trainer, pre_tokenizers.ByteLevel(add_prefix_space=False))
    raw.decoder = decoders.ByteLevel()
    return _wrapped(raw, "<s>", "</s>", "<unk>", "<pad>", "<mask>")


def _deberta_like() -> PreTrainedTokenizerFast:
    specials = ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"]
    trainer = trainers.UnigramTrainer(vocab_size=120, special_tokens=specials, unk_token="[UNK]")
    raw = _trained(models.Unigram(), trainer, pre_tokenizers.Metaspace())
    raw.decoder = decoders.Metaspace()
    return _wrapped(raw, "[CLS]", "[SEP]", "[UNK]", "[PAD]", "[MASK]")


def _bundled(bundled_model: LoadedModel) -> PreTrainedTokenizerFast:
    return bundled_model.tokenizer


KINDS: dict[str, Callable[..., PreTrainedTokenizerFast]] = {
    "wordpiece": _bundled,
    "byte-level bpe": _roberta_like,
    "unigram": _deberta_like,
}


@pytest.mark.parametrize("kind", KINDS)
def test_typed_special_tokens_are_plain_text_and_the_placeholder_stays_one_token(
    kind: str, bundled_model: LoadedModel
) -> None:
    tokenizer = KINDS[kind](bundled_model) if kind == "wordpiece" else KINDS[kind]()
    structure = set(tokenizer.all_special_ids) - {tokenizer.unk_token_id}  # [CLS] [SEP] <s> </s> <mask> <pad>
    typed = [t for t in tokenizer.all_special_tokens if t != tokenizer.unk_token]
    text = f"a film {' '.join(typed)} far too long"
    encoded = encode(tokenizer, text)
    plain = tokenizer(text)["input_ids"]  # what the tokenizer reads by itself: the typed strings as structure
    assert sum(token in structure for token in plain) > 2, "the test text must inject structure without the fix"
    assert not structure & set(encoded.ids[1:-1]), tokenizer.convert_ids_to_tokens(list(encoded.ids))
    assert {encoded.ids[0], encoded.ids[-1]} <= structure  # only what the model adds itself
    assert encode_ids(tokenizer, [text, "a film"]) == [list(encoded.ids), tokenizer("a film")["input_ids"]]
    assert encode(tokenizer, "a film").ids == tuple(tokenizer("a film")["input_ids"]), "plain texts are unchanged"

    withheld = f"mail {tokenizer.unk_token} {typed[0]} later"  # a placeholder beside a typed special
    placeholder = (5, 5 + len(tokenizer.unk_token))
    marked = encode(tokenizer, withheld)
    assert [i for i, span in zip(marked.ids, marked.offsets, strict=True) if span == placeholder] == [
        tokenizer.unk_token_id
    ]
    assert not structure & set(marked.ids[1:-1])


def test_the_engine_reads_a_typed_separator_as_text(bundled_engine: PathEngine) -> None:
    tokenizer = bundled_engine.model.tokenizer
    spec = bundled_engine.parse("withhold=email")
    prepared = bundled_engine.prepare("great film [SEP] [CLS] write to ann@example.com", spec)
    assert prepared.token_ids.count(tokenizer.sep_token_id) == prepared.token_ids.count(tokenizer.cls_token_id) == 1
    assert prepared.token_ids.count(tokenizer.unk_token_id) == 1  # the withheld address
    decision = bundled_engine.decide("great film [SEP] terrible", bundled_engine.parse("full"))
    assert decision.tokens.total == len(tokenizer("great film [ SEP ] terrible")["input_ids"])


def test_the_splitting_copy_is_made_once_and_shared_by_threads(bundled_model: LoadedModel) -> None:
    tokenizer = bundled_model.tokenizer
    results: list[tuple[int, ...]] = []

    def work() -> None:
        for _ in range(20):
            results.append(encode(tokenizer, "x [SEP] y").ids)
            results.append(encode(tokenizer, "x y").ids)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) == {encode(tokenizer, "x [SEP] y").ids, tuple(tokenizer("x y")["input_ids"])}
    assert tokenizer("x [SEP] y")["input_ids"].count(tokenizer.sep_token_id) == 2, "the shared tokenizer is untouched"
