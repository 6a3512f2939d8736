"""Names in chat, in any case, that the words around them show (core/path/name_cues.py), and names the NER labels
as organisations (core/path/ner.py, `_is_a_name`)."""

import pytest

from core.path import GroupSet
from core.path.name_cues import find_cued_names
from core.path.ner import Entity, _is_a_name

GROUPS = GroupSet()


def cued(text: str) -> list[str]:
    return [text[start:end] for start, end in find_cued_names(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my uncle mustafa is in the hospital again", ["mustafa"]),
        ("our neighbour tsegaye fell; my late husband bernhard opened it", ["tsegaye", "bernhard"]),
        ("can you ask ingrid if she has the charger", ["ingrid"]),
        ("pablo and lucia said the hotel was awful", ["pablo", "lucia"]),
        ("tell kemal the wifi password changed", ["kemal"]),
    ],
)
def test_lower_case_names_after_a_cue(text: str, expected: list[str]) -> None:
    assert cued(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "my uncle lives in town and my son jumped; my friend really liked it",
        "my wife and i loved it, my brother bought two",
        "a drama about a father and son connection",  # "son" follows "and", not a cue
        "a grimly competent and stolid and earnest military courtroom drama",
        "ask about it, tell me, call them back",
    ],
)
def test_words_after_a_cue_that_are_no_names(text: str) -> None:
    assert cued(text) == []


def test_cued_names_are_withheld_as_person() -> None:
    text = "i think my cousin dmitri lost his card"
    assert [text[s.start : s.end] for s in GROUPS.find(text, ["person"])] == ["dmitri"]


@pytest.mark.parametrize(
    ("text", "organisation", "is_name"),
    [
        ("Ogasawara will join the call.", "Ogasawara", True),  # no English word vector: a foreign name
        ("Costanzo Staglieno signed it.", "Costanzo Staglieno", True),
        ("Virpi Mäkinen called.", "Virpi Mäkinen", True),  # a listed given name first
        ("Amazon refunded me.", "Amazon", False),  # an English word vector: a brand
        ("Acme Corporation refunded me.", "Acme Corporation", False),  # an organisation word
        ("The CSV export fails.", "CSV", False),  # an acronym in mixed-case text
        ("Staglieno Ltd wrote back.", "Staglieno Ltd", False),
    ],
)
def test_organisations_that_look_like_person_names(text: str, organisation: str, is_name: bool) -> None:
    GROUPS.find("warm up", ["person"])  # load the pipeline whose vocabulary `_is_a_name` reads
    start = text.index(organisation)
    assert _is_a_name(text, Entity("ORGANIZATION", start, start + len(organisation))) is is_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hey it's maja_k from the forum, can you reset my pw?", ["maja_k"]),
        ("@tomek93: ok i'll send the invoice tmrw", ["@tomek93"]),
        ("[10:02] kasia_w: hi there\n[10:03] support: hello", ["kasia_w"]),
        ("I'm john99 on the app", ["john99"]),
        ("Agent Joy: Good evening!\nCustomer: my bill doubled\n[10:02] Advisor Kim R.: hello", ["Joy", "Kim R."]),
        ("Klant: Ik ben verhuisd.\nMedewerker Daan: Wat is uw nieuwe postcode?", ["Daan"]),
        # no handle: an e-mail, a file, a version, a time
        ("mail a.b@c.com; it's config_file.py that broke; v1.2: fixes; it's 2pm", []),
    ],
)
def test_chat_handles(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in find_cued_names(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks for applying.\nBest,\nRachel", ["Rachel"]),
        ("Thanks,\nManagement", []),
        ("Kind regards,\nSupport", []),
        ("Languages I know best\nRuby\nPython", []),
        ("Chorus:\nSay goodbye and thank you\nJade", []),
    ],
)
def test_one_word_after_a_sign_off_is_a_name_where_it_is_a_listed_given_name(text: str, expected: list[str]) -> None:
    assert [text[s.start : s.end] for s in GroupSet().find(text, ["person"])] == expected


def test_an_agents_role_before_an_ordinary_word_or_outside_a_chat_names_nobody() -> None:
    text = "Rep Notes: none\nAgent Status: online\nAgent Joy: hello\nCustomer: hi"
    assert [text[s.start : s.end] for s in GroupSet().find(text, ["person"])] == ["Joy"]
    assert GroupSet().find("Operator Precedence: left to right\nAgent Heartbeat: 30s", ["person"]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[18:12] Lena: Hast du Opa schon gefragt?\n[18:14] Jonas: Ja, er kommt mit dem Zug.",
            ["Lena", "Jonas"],
        ),
        ("[12/02/26, 7:43 pm] Kartika Sharma: bhaiya parcel aa gaya kya?", ["Kartika Sharma"]),
        ("12/02/2026, 19:43 - Tomasz: jestem na miejscu", ["Tomasz"]),
        ("[10:02] erica: how can I help?\n[10:05] mum: dinner at 6", []),  # lower case: a bank's bot as often
        ("[10:01] Kubernetes: pod restarted\n[10:05] Tesco Clubcard: you have points", []),  # programs and brands
        ("[09:14] Bot: Hello!\n[09:15] Support Team: ticket raised\n[10:00] Error: timeout", []),
        ("[2026-03-01 10:00:01] INFO: started\n[10:00:02] WARNING: disk low", []),
    ],
)
def test_the_speakers_of_a_chats_exported_lines(text: str, expected: list[str]) -> None:
    from core.path.ner import is_ordinary_word

    assert [text[start:end] for start, end in find_cued_names(text, is_ordinary_word)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kasey: What a wife.\nEmily: Remember me? When I left you", ["Kasey", "Emily"]),
        ("Bill: Paid in full\nTotal: 45", []),  # one given name before a colon is a form's field
        ("Note: This is fine\nSummary: All good here", []),
        ("I'm Jennifer's daughter; Sophie's older brother lent me the car.", ["Jennifer", "Sophie"]),
        ("Apple's partner said so.", []),
    ],
)
def test_a_dialogues_speakers_and_a_name_whose_relative_is_named(text: str, expected: list[str]) -> None:
    from core.path.ner import is_ordinary_word

    assert [text[start:end] for start, end in find_cued_names(text, is_ordinary_word)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("To: Hemi Walker <hemi.w@gmail.com>\nSubject: Re: bach", ["Hemi Walker"]),
        ('From: "Björn Eriksson" <bjorn.eriksson@kth.se>', ["Björn Eriksson"]),
        ("From: The Billing Team <billing@acme.com>\nTo: No Reply <noreply@x.com>", []),
    ],
)
def test_the_name_a_mail_header_gives_before_an_address(text: str, expected: list[str]) -> None:
    assert cued(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("agent: can you confirm the name on the order\ncustomer: aisha rahman", ["aisha rahman"]),
        ("who am i speaking to?\ncaller: yeah it's tom okafor, thanks", ["tom okafor"]),
        ("agent: can i take your full name please\ncustomer: will do, one sec", []),
        ("agent: name please\ncustomer: grace and then my husband", []),  # "grace": no listed name, a word
        ("agent: what's the name of the product?\ncustomer: billy bookcase", []),  # no person's name asked for
        ("agent: and your mothers maiden name?\ncustomer: its fitzgerald", ["fitzgerald"]),  # a surname alone
        ("agent: and the last name\ncustomer: okafor thanks", ["okafor"]),
        ("agent: can i take your surname\ncustomer: one sec", []),
    ],
)
def test_a_name_given_as_the_answer_to_the_line_above(text: str, expected: list[str]) -> None:
    from core.path.ner import is_known_word, is_ordinary_word

    assert [text[a:b] for a, b in find_cued_names(text, is_ordinary_word, is_known_word)] == expected
