"""Input-group recognisers and withholding: patterns, Presidio's borrowed recognizers and spaCy NER, offline."""

import logging
import socket

import pytest
import spacy

from core.errors import InputError, InvalidPathError
from core.path import (
    NER_GROUPS,
    PII_GROUPS,
    GroupSet,
    ModelTemplate,
    PathSpec,
    custom_group,
    expand_pii,
    iban_valid,
    luhn_valid,
    ner,
    parse_group_option,
)

GROUPS = GroupSet([custom_group("friends", words=["Alice Smith", "Bob"])])


def spans(text: str, group: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, [group])]


def test_checksums() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert iban_valid("GB82 WEST 1234 5698 7654 32") and not iban_valid("GB82 WEST 1234 5698 7654 33")
    assert iban_valid("gb82 west 1234 5698 7654 32")


@pytest.mark.parametrize(
    ("group", "text", "expected"),
    [
        ("email", "write to jane.doe+x@mail.example.co.uk today", ["jane.doe+x@mail.example.co.uk"]),
        ("phone", "call +44 20 7946 0958 or (555) 123-4567", ["+44 20 7946 0958", "(555) 123-4567"]),
        (
            "phone",
            "+49 30 901820, 07700 900123, +33 1 70 18 99 00",
            ["+49 30 901820", "07700 900123", "+33 1 70 18 99 00"],
        ),
        ("phone", "on 2024-03-15 or 15.03.2024 at 12 30", []),
        # what the labelled set showed wrong before
        ("phone", "logged 2000-04-16 11:34:35 by ops", []),
        ("date", "logged 2000-04-16 11:34:35 by ops", ["2000-04-16 11:34:35"]),
        ("phone", "ring 5551234567 or 555-123-4567 x4587", ["5551234567", "555-123-4567 x4587"]),
        ("phone", "001-507-843-9150x00806 and (418)751-8222", ["001-507-843-9150x00806", "(418)751-8222"]),
        ("phone", "in Paris: 03.93.92.16.85", ["03.93.92.16.85"]),
        ("ip", "in Paris: 03.93.92.16.85", []),
        ("phone", "SSN 744-04-8645", []),
        ("ssn", "SSN 744-04-8645, not 000-12-3456", ["744-04-8645"]),
        ("card", "maestro 676334497861 ok", ["676334497861"]),
        ("iban", "iban gb82 west 1234 5698 7654 32.", ["gb82 west 1234 5698 7654 32"]),
        (
            "ip",
            "from fe80::1ff:fe23:4567:890a and 2001:db8::1 at 11:34:35",
            ["fe80::1ff:fe23:4567:890a", "2001:db8::1"],
        ),
        ("url", "see https://example.com/a?b=1, or www.test.org.", ["https://example.com/a?b=1", "www.test.org"]),
        ("ip", "from 192.168.0.1 not 999.1.1.1", ["192.168.0.1"]),
        ("card", "card 4111 1111 1111 1111 but not 4111 1111 1111 1112", ["4111 1111 1111 1111"]),
        ("iban", "IBAN GB82 WEST 1234 5698 7654 32 and GB00 WEST 1234 5698 7654 32", ["GB82 WEST 1234 5698 7654 32"]),
        ("id_number", "passport P36625851; driver licence D1234567. We met in room A12", ["P36625851", "D1234567"]),
        (
            "date",
            "born March 3, 1985 or 3rd of May 2001, seen 04/05/2020",
            ["March 3, 1985", "3rd of May 2001", "04/05/2020"],
        ),
        (
            "address",
            "send it to 6962 Jesus Avenue Apt. 858\nConradbury, IA 41524 please",
            ["6962 Jesus Avenue Apt. 858\nConradbury, IA 41524"],
        ),
        (
            "address",
            "PSC 1234, Box 5678\nAPO AA 12345; we walked 5 miles on the road",
            ["PSC 1234, Box 5678\nAPO AA 12345"],
        ),
        (
            "address",
            "Flat 3\nKevin Crossing\nLake Mitchell\nN35 8ZP or 10 Joseph Close, Port Mona, QLD, 2984",
            ["Flat 3\nKevin Crossing\nLake Mitchell\nN35 8ZP", "10 Joseph Close, Port Mona, QLD, 2984"],
        ),
        (
            "phone",
            "+44(0)1134960249, (0116) 4960888, 1 (410) 661-8074",
            ["+44(0)1134960249", "(0116) 4960888", "1 (410) 661-8074"],
        ),
        ("phone", "You can reach me at 2248.2505.", ["2248.2505"]),  # a phone with a dot, not a decimal
        ("ssn", "NI number AB 12 34 56 C", ["AB 12 34 56 C"]),
        ("number", "order 12345 cost 9.99", ["12345", "9.99"]),
        ("friends", "alice smith met BOB and Bobby", ["alice smith", "BOB"]),
    ],
)
def test_pattern_recognisers(group: str, text: str, expected: list[str]) -> None:
    assert spans(text, group) == expected


@pytest.mark.filterwarnings("ignore:.*W095")  # the full 3.7 pipeline under spaCy 3.8, as in core.path.ner
def test_named_entity_groups_are_spacys_entities_through_presidio() -> None:
    text = "Maria Gonzalez flew from Chicago to meet the French team at Acme Corporation on Monday."
    reference = spacy.load(ner.SPACY_PIPELINE)(text)  # spaCy alone, with its full pipeline
    by_label = {label: [e.text for e in reference.ents if e.label_ == label] for label in ("PERSON", "GPE", "NORP")}
    assert by_label["PERSON"] == spans(text, "person") == ["Maria Gonzalez"]
    assert by_label["GPE"] == spans(text, "location") == ["Chicago"]
    assert by_label["NORP"] == spans(text, "nrp") == ["French"]
    assert spans(text, "organization") == ["Acme Corporation"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dear Émilie, your order shipped. Thanks, Bernard", ["Émilie", "Bernard"]),
        ("Hi, this is Keano Spiker-van der Horst.", ["Keano Spiker-van der Horst"]),
        ("We met Dr. Angela Paul yesterday.", ["Dr. Angela Paul"]),
        # titles of the languages whose names English text often carries, kept with the name
        ("We met Sig.ra Maria Goldoni and Herr Dr. Klaus Weber.", ["Sig.ra Maria Goldoni", "Herr Dr. Klaus Weber"]),
        (
            "Profile of pan Kamil Balas, by Univ.Prof. Ottilie Steckel",
            ["pan Kamil Balas", "Univ.Prof. Ottilie Steckel"],
        ),
        ("Hi, this is Dott.ssa Giulia Neri. Regards, Mme Claire Roux", ["Dott.ssa Giulia Neri", "Mme Claire Roux"]),
        # Austrian and Czech degrees, Italian "Prof.ssa", Spanish "doña", Afrikaans "Mnr.", a deacon
        ("Adresse:\nMag. Christina Pichler\nHauptplatz 3", ["Mag. Christina Pichler"]),
        ("třídní učitelka Mgr. Jana Horáková", ["Mgr. Jana Horáková"]),
        ("contattare la Prof.ssa Maria Rossi", ["Prof.ssa Maria Rossi"]),
        ("de parte de doña Pilar Ruiz, que", ["doña Pilar Ruiz"]),
        ("Verhuurder: Mnr. Gert Pretorius", ["Mnr. Gert Pretorius"]),
        ("Please keep Deacon Frank Russo in your prayers", ["Deacon Frank Russo"]),
    ],
)
def test_person_cues_add_what_the_ner_misses(text: str, expected: list[str]) -> None:
    assert spans(text, "person") == expected


def test_words_with_digits_are_no_part_of_a_name() -> None:
    text = "Dear Zebulon Quackenbush, your parcel for Chicago left. Mail ops@example.org, ref KX-9921."
    assert spans(text, "person") == ["Zebulon Quackenbush"]
    entity = ner.Entity("PERSON", 0, len("Janice Jones 1990 Ann"))
    person = next(group for group in ner.ENTITY_GROUPS if group.name == "person")
    assert set(person.find("Janice Jones 1990 Ann", [entity])) == {(0, 12), (18, 21)}


def test_batched_entities_equal_one_text_at_a_time() -> None:
    texts = ["Dear John Carter,", "no names here", "Call Priya Natarajan in Boston about Ms. Lee."]
    batched = GROUPS.find_many(texts, ["person", "location"])
    assert batched == [GROUPS.find(text, ["person", "location"]) for text in texts]
    first_text, first_spans = texts[0], batched[0]
    assert [first_text[s.start : s.end] for s in first_spans] == ["John Carter"]


def test_patterned_groups_never_start_the_ner(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("NER ran for a patterned group")

    monkeypatch.setattr("core.path.groups.find_entities", refuse)
    patterned = [g for g in GROUPS.names if g not in NER_GROUPS]
    assert [s.group for s in GROUPS.find("mail a@b.org, ssn 744-04-8645", patterned)] == ["email", "ssn"]


def test_overlapping_spans_merge_into_the_higher_priority_group() -> None:
    text = "Ship to 12 Baker Street, Springfield, IL 62704 for Dr. Jane Roe."
    found = GROUPS.find(text, ["address", "location", "person"])
    assert [(s.group, text[s.start : s.end]) for s in found] == [
        ("address", "12 Baker Street, Springfield, IL 62704"),
        ("person", "Dr. Jane Roe"),
    ]


def test_withhold_replaces_spans_and_counts_without_keeping_text() -> None:
    text = "Mail a@b.com or c@d.org, card 4111-1111-1111-1111, ref 42."
    result = GroupSet(placeholder_style="unknown").withhold(text, ["email", "card"], "[UNK]")
    assert result.text == "Mail [UNK] or [UNK], card [UNK], ref 42."
    assert result.counts == {"email": 2, "card": 1}
    for group, start, end, new_start, new_end in result.replacements:
        assert result.text[new_start:new_end] == "[UNK]"
        assert text[start:end] not in result.text
        assert group in ("email", "card")


def test_typed_placeholder_names_the_group_not_the_text() -> None:
    text = "Thanks Maria Gonzalez, see you in Chicago."
    result = GroupSet(placeholder_style="typed").withhold(text, ["person", "location"], "[UNK]")
    assert result.text == "Thanks person, see you in place."
    with pytest.raises(InputError, match="typed or unknown"):
        GroupSet(placeholder_style="blank")


def test_priority_card_over_number_when_both_withheld() -> None:
    result = GROUPS.withhold("pay 4111 1111 1111 1111 now 7", ["number", "card"], "#")
    assert result.counts == {"card": 1, "number": 1}


def test_pii_shorthand_and_unknown_groups() -> None:
    assert expand_pii(["PII", "number"]) == frozenset(PII_GROUPS) | {"number"}
    assert {"person", "location", "address", "date", "email"} <= set(PII_GROUPS)
    assert "organization" not in PII_GROUPS
    with pytest.raises(InputError, match="known groups are pii, email, url"):
        GROUPS.expand(["people"])


def test_group_option_parsing_and_errors() -> None:
    assert parse_group_option("acct=regex:ACC-\\d+").find("ref ACC-991 ok") == [(4, 11)]
    with pytest.raises(InputError, match="NAME=regex:PATTERN"):
        parse_group_option("acct")
    with pytest.raises(InputError, match="--group 'vip'") as refused:  # a word list of names is not repeated
        parse_group_option("vip=word:Maria Gonzalez,Chidi Okafor")
    assert "Gonzalez" not in str(refused.value)
    with pytest.raises(InputError, match="does not compile"):
        parse_group_option("acct=regex:(")
    with pytest.raises(InputError, match="matches empty text"):
        parse_group_option("acct=regex:\\d*")
    for builtin in ("email", "person", "pii"):
        with pytest.raises(InputError, match="built in"):
            custom_group(builtin, words=["x"])


def test_recognition_runs_with_sockets_disabled(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """A fresh start (Presidio, spaCy, tldextract) and every group, with no network: nothing even tries."""
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer
    from tldextract.cache import DiskCache

    attempts: list[tuple[object, ...]] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)  # a download fails here first, at the name look-up
    monkeypatch.setattr(ner, "_CACHE", {})
    extractor = tldextract.tldextract.TLD_EXTRACTOR
    monkeypatch.setattr(extractor, "_cache", DiskCache(str(tmp_path)))  # no cached suffix list to fall back on
    monkeypatch.setattr(extractor, "_extractor", None)
    text = "Maria Gonzalez (maria@example.co.uk, https://x.org, SSN 744-04-8645) lives in Chicago."
    found = {s.group for s in GroupSet().find(text)}
    assert {"person", "email", "url", "ssn", "location"} <= found
    assert EmailRecognizer().analyze(text, ["EMAIL_ADDRESS"])  # Presidio's tldextract check, offline
    assert attempts == []


def test_recognisers_log_no_text(caplog: pytest.LogCaptureFixture) -> None:
    secret = "Zebulon Quackenbush"
    with caplog.at_level(logging.DEBUG):
        GROUPS.find(f"Write to {secret} at zq@example.org about 744-04-8645.", PII_GROUPS)
    assert secret not in caplog.text and "zq@example.org" not in caplog.text


def test_a_text_the_ner_cannot_read_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def analyze_iterator(self, *args: object, **kwargs: object) -> None:
            raise ValueError("[E088] Text of length 2000001 exceeds maximum")

    monkeypatch.setattr(ner, "_analyzer", Broken)
    with pytest.raises(InputError, match="named-entity recogniser could not read the text") as caught:
        GROUPS.withhold("Dear Zebulon, hello", ["email", "person"], "[UNK]")
    assert "Zebulon" not in str(caught.value)


def test_a_missing_spacy_pipeline_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ner, "_CACHE", {})
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    with pytest.raises(ner.NerUnavailableError, match=r"pip install -r requirements\.txt"):
        GROUPS.find("Dear Zebulon", ["person"])
    assert GROUPS.find("mail a@b.org", ["email"])  # the patterned groups still work


def test_withhold_pii_in_the_path_grammar() -> None:
    template = ModelTemplate(6, 12, GROUPS.names)
    spec = PathSpec.parse("depth=2; withhold=pii,friends", template)
    assert spec.withhold == frozenset(PII_GROUPS) | {"friends"}
    assert PathSpec.parse(spec.canonical, template) == spec
    assert "organization" not in spec.canonical and "person" in spec.canonical
    with pytest.raises(InvalidPathError, match="unknown input group people: known groups are pii, email"):
        PathSpec.parse("withhold=person,people", template)
