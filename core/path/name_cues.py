"""Names in chat, in any case, where the words around them say a person is meant: "my uncle mehmet", "ask ingrid".

The NER misses lower-case names without a capital to go by, and single names it has no context for. These cues
find them:
- a relation before the word ("my uncle mustafa", "our neighbour tsegaye", "my late husband bernhard"): the word is a
  name unless it is a stop word, a verb or an adverb ("my uncle lives", "my son jumped", "my friend really");
- a chat handle, in a cue ("@tomek93", "it's maja_k", "kasia_w: hi"), or a lower-case name introduced with an age
  after it ("hey its ravi, 31,");
- a verb of talking to or meeting someone before a listed first name or given name ("ask ingrid", "tell kemal",
  "shouted at Jared"), or two listed names joined by "and" at the start of a sentence ("pablo and lucia said"): the
  census and many-language lists (`core.path.name_list`) already leave out names that are ordinary words ("will",
  "grace"); after a bare "and" or "with" a listed name is too often a word ("father and son", "stolid and earnest");
- in lower-case chat, a greeting or thanks before a word and a comma ("hey lindiwe,"), "i am" or "it's" before a word
  and "from" ("i am tshepiso from accra"), "uncle"/"aunt" without "my" ("uncle tsegaye"): the word is a name unless
  English knows it at all ("hi all,", "hey siri,", "thanks paypal!", "i am exempt from");
- an age right after a capitalised word ("Kagiso (34, M)", "Hugo (age 11)"; a number alone in brackets or between
  commas only after a listed name: "Ruby (8", "Rafael, 33,"): a listed name, or a word English does not know (not
  "Windows (10)", "Revolut (10)");
- the speakers of a chat transcript in lower case ("dani: wait ur 26??", "kai: lmao"): `_chat_speakers`, and of a
  chat's exported lines after their time stamp ("[18:12] Lena:"): `_timestamped_speakers`, and of a dialogue's lines,
  two names at least, one of them listed ("Kasey: What a wife.\nEmily: Remember me?"): `_script_speakers`;
- a listed given name whose relative the text names: "I'm Jennifer's daughter";
- a mail header's name before its address ("To: Hemi Walker <hemi.w@…>"), and a name a transcript gives as the answer
  to a question for one on the line above ("agent: the name on the order?\ncustomer: aisha rahman").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from core.path.addresses import ADDRESS
from core.path.affiliations import LINE_MARK, PERSONS_NAME, named_as_organisation
from core.path.casing import CAPITALS
from core.path.name_list import is_given_name, is_name_that_is_a_word, surnames
from core.path.occupations import is_a_job

_RELATIONS = (
    r"uncle|aunt|auntie|cousin|friend|best friend|brother|sister|son|daughter|husband|wife|boyfriend|girlfriend|"
    r"partner|fianc[eé]e?|mum|mom|mother|dad|father|neighbou?r|boss|colleague|co-?worker|teacher|grandma|grandpa|"
    r"grandmother|grandfather|grandson|granddaughter|nephew|niece|room-?mate|flat-?mate|landlord|landlady|tutor|"
    r"mate|buddy|bestie|step-?dad|step-?mom|step-?mum|stepson|stepdaughter|nan|gran|granny|nana|in-laws?|"
    r"brother-in-law|sister-in-law|mother-in-law|father-in-law|carer|caregiver|babysitter|nanny|cleaner|driver"
)
_WORD = r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)?"
_RELATED = re.compile(
    rf"\b(?i:(?:my|our|your|his|her|their) (?:late |dear |little |big |older |younger |elder |eldest |youngest |"
    rf"oldest |ex-?|old |best |new )?(?:{_RELATIONS})),? (?P<name>{_WORD})\b"
)
# A child named after "my kid", "our toddler": a listed given name or a word English lacks ("my kid Taus"; not a
# developer's "my child Component", "my child Process").
_CHILD_NAMED = re.compile(rf"\b(?i:(?:my|our|your|his|her|their) (?:kid|kiddo|child|toddler)),? (?P<name>{_WORD})\b")
_ADDRESSED = re.compile(
    rf"\b(?i:ask|asked|tell|told|text|texted|call|called|message|messaged|thank|thanks|thank you|meet|met|"
    rf"visit|visited|remind|reminded|(?:shouted|yelled|screamed|smiled|waved) at) "
    rf"(?P<name>{_WORD})\b"
    rf"|(?:^|(?<=[.!?] ))(?P<first>{_WORD}) (?i:and|&) (?P<second>{_WORD})\b"
)
# Chat handles: an @-mention ("@tomek93"), a handle with "_", "." or digits after "it's"/"this is"/"I'm" ("it's
# maja_k from the forum"), before a colon at the start of a chat line ("[10:02] kasia_w: hi"), or an IRC nick in
# angle brackets there ("<jan.novak> hi"); a support agent's name after their role at a chat line's start.
_HANDLE = (
    r"(?!\S*\.(?:py|js|ts|txt|csv|pdf|docx?|xlsx?|png|jpe?g|html?|com|org|net|exe|zip|json|md|log)\b)"
    r"(?:[A-Za-z]{2}[A-Za-z0-9]*(?:[._][A-Za-z0-9]+)+|[A-Za-z]+\d{2,4})"
)
_HANDLES = re.compile(
    rf"(?<![\w.@])@(?P<mention>[A-Za-z][\w.]{{1,29}}[A-Za-z0-9])"
    rf"|\b(?i:it's|its|this is|i'm|im|i am|user|username|handle)\s+(?P<introduced>{_HANDLE})\b(?![.@]\w)"
    rf"|(?m:^)(?:\[[\d:]+\]\s*)?(?P<speaker>{_HANDLE}):\s"
    # a support chat's agent by role and name: "Agent Joy: Good evening!", "[10:02] Advisor Kim:", "Medewerker Daan:",
    # "Agent (Priyanka):"
    # (`_an_agents_name`)
    r"|(?m:^)[ \t]*(?:\[[\d:]+\]\s*)?(?:Agent|Advisor|Adviser|Rep|Operator|Associate|Specialist|CS|Medewerker|"
    r"Mitarbeiter|Mitarbeiterin|Agente|Asesor|Asesora|Atendente|Operador|Operadora)[ \t]+"
    r"(?:(?P<agent>[A-Z][a-z]+(?: [A-Z]\.?)?)"
    r"|\([ \t]?(?P<agent_in_brackets>[A-Z][A-Za-z]+(?: [A-Z]\.?)?)[ \t]?\)):[ \t]"
    # an IRC nick in angle brackets at the start of a chat line, any nick but an HTML tag: "[10:42] <jan.novak> hi"
    r"|(?m:^)(?:\[[\d:]+\]\s*)?<[@+%~&]?(?!(?i:a|b|i|u|p|br|hr|em|li|ol|ul|tr|td|th|div|span|img|pre|code|html|"
    r"body|head|table|strong|script|style|h[1-6])>)(?P<nick>[A-Za-z\[\]\\`^{}|_][\w.\[\]\\`^{}|-]{0,29})>\s"
)
# A speaker of a chat transcript: a word before a colon at a line's start ("dani: wait ur 26??", "[10:02] kai: lol").
_SPEAKER = re.compile(r"(?m:^)(?:\[[\d:]+\]\s*)?(?P<speaker>[^\W\d_]{2,20}):[ \t]")
_MAX_SPEAKERS = 6  # more distinct words before colons are a form's fields, not the people of a chat
# A lower-case name introduced with the writer's age after it: "hey its ravi, 31, looking for a room".
_INTRODUCED_WITH_AGE = re.compile(r"\b(?i:it's|its|this is|i'm|im) (?P<name>[a-z]{3,}), \d{1,2}(?=[,.;]|\s*$)")
# A lower-case name after a greeting or thanks and before a comma or "!" ("thank you so much lindiwe!"),
# after "i am"/"i'm"/"it's" and before "from"/"here" ("i am tshepiso from accra", "its marcus from the gym"), or
# after an uncle or aunt named so without "my" ("uncle tsegaye is coming").
_GREETED_IN_LOWER_CASE = re.compile(
    r"\b(?:(?i:hi|hey|hello|thanks|thank you|thank you so much|thanks so much|cheers) (?P<greeted>[a-z]{3,})(?=[,!])"
    r"|(?:i am|i'm|im|it's|its|this is) (?P<introduced>[a-z]{3,}) (?=from\b|here\b)"
    r"|(?i:uncle|aunt|auntie|aunty) (?P<kin>[a-z]{3,})\b)"
)
# A call transcript's names in lower case after a title ("mister t okafor", "mrs grant", "dr raj patel") or after the
# name of a name's field ("first name faith", "the surname is o'brien"); "miss" is too often a verb ("i miss john"),
# "doctor" a role before a word ("a patient/doctor pic", "doctor strange"): after a title, only a listed name or a
# word English lacks ("a message for doctor okonkwo").
_TITLED_IN_LOWER_CASE = re.compile(
    r"\b(?:(?P<title>mister|missus|mrs|mr|ms|dr|doctor)\.? (?P<initial>[a-z] )?(?P<titled>[a-z][a-z'’-]{2,})"
    r"(?: (?P<second>[a-z][a-z'’-]{2,}))?"
    r"|(?:first name|surname|last name|family name|second name)(?: is|'s)? (?!dot\b)(?P<field>[a-z][a-z'’-]{2,})"
    r"(?=[ \t]*(?:[,.;!?]|$)| and\b| last\b| surname\b| second\b| middle\b| date\b))\b"
)
# A capitalised word with an age right after it: "Kagiso (34, M)", "Hugo (age 11)", "Ana (9 años)", or between commas
# ("Bio: Rafael, 33, São Paulo"); a number alone counts only after a listed name ("Revolut (10)" is no person).
_NAMED_WITH_AGE = re.compile(
    rf"\b(?P<name>[{CAPITALS}][a-zà-öø-ÿ]{{2,}})(?: \((?:age |aged )\d{{1,2}}\b| \(\d{{1,2}}[,/] ?[MFmf]\b"
    r"|(?P<number_only> \(\d{1,2}(?=[,)\s])|, \d{1,2},))"
)
# What "it's"/"I'm" say that is no name: "im fine, 22 more to go".
_STATES_TEXT = """
fine good ok okay back here done sure sorry new late home ready free out away tired bored sick busy alone single
married retired broke stuck lost confused
"""
_STATES = frozenset(_STATES_TEXT.split())


def _introduced_name(word: str) -> bool:
    return word not in _STATES and word not in _stop_words() and word not in _NOT_NAMES


# Words that follow a relation and are no name: verbs, adverbs and little words ("my son jumped", "my wife and i").
_NOT_NAMES_TEXT = """
just still always never really recently already also even only now then again too soon here there today tomorrow
yesterday who whom whose which that what when where why how got get gets went goes came come comes sent bought
told tells said says lost left took gave made found paid died moved lived worked used tried broke fell ran saw ate
drove flew won kept felt thought brought caught taught sold held stood spent built meant met read heard hit put set
let cut quit forgot forgets had has have is was were are will would can could should might must may did does do
don't doesn't didn't isn't wasn't won't can't couldn't hasn't haven't wouldn't ordered insisted wants needs loves
hates keeps likes thinks knows says works lives calls runs owns uses pays
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_VERB_ENDING = re.compile(r"(?:ed|ing|ly)$")


@functools.cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _a_name_english_lacks(word: str, known: Callable[[str], bool]) -> bool:
    """A listed given name, or a capitalised word English lacks."""
    return is_given_name(word) or (word[:1].isupper() and not known(word))


def _after_a_relation(word: str, ordinary: Callable[[str], bool]) -> bool:
    lower = word.lower()
    if is_given_name(word):
        return True
    if word.islower() and ordinary(word):  # "my daughter open", "my friend money": English words, no names
        return False
    return lower not in _NOT_NAMES and lower not in _stop_words() and not _VERB_ENDING.search(lower)


# The other side of a support chat: a customer's line ("Customer: my bill doubled", "Klant: …", "Pelanggan: …").
_CUSTOMER_LINE = re.compile(
    r"(?m:^)[ \t]*(?:\[[\d:]+\]\s*)?(?:Customer|Client|User|Caller|Guest|Member|Visitor|You|Me|Klant|Kunde|Kundin|"
    r"Cliente|Pelanggan|Pel)[ \t]*:"
)


def _an_agents_name(text: str, word: str, ordinary: Callable[[str], bool]) -> bool:
    """Whether a word after an agent's role names them: the text is a chat with a customer's line, and the word is no
    ordinary word, or a name that is one ("Agent Joy:"; not "Rep Notes:", "Operator Precedence:", "Agent Uptime:")."""
    if word.lower() in _NO_AGENTS_NAMES:
        return False
    return _CUSTOMER_LINE.search(text) is not None and (not ordinary(word) or is_name_that_is_a_word(word))


# What a chat's role names that is no person ("Agent (Bot):", "Agent Zendesk:", "CS (Shopify):").
_NO_AGENTS_NAMES_TEXT = """
bot chatbot auto automated automatic system virtual ai assistant supervisor offline online escalation escalations team
support notes note internal zendesk intercom fin shopify freshdesk salesforce whatsapp live chat human admin tier
queue desk helpdesk service services billing sales tech technical manager lead
"""
_NO_AGENTS_NAMES = frozenset(_NO_AGENTS_NAMES_TEXT.split())


def find_cued_names(
    text: str,
    ordinary: Callable[[str], bool] = lambda word: False,
    known: Callable[[str], bool] = lambda word: True,
    foreign: Callable[[str], bool] = lambda text: False,
) -> list[tuple[int, int]]:
    """Names in any case after a relation ("my uncle mehmet") or a verb of addressing ("ask ingrid"), chat handles
    ("@tomek93", "it's maja_k"), and capitalised names with an age after them ("Hugo (age 11)"). `ordinary` says
    which words are ordinary English words (after a relation a lower-case one is no name), `known` which words
    English has at all (an unlisted one before an age is no name), `foreign` whether a text is written in another
    language (where a signature's role lacks English words too)."""
    spans = [m.span("name") for m in _RELATED.finditer(text) if _after_a_relation(m.group("name"), ordinary)]
    spans += [m.span("name") for m in _CHILD_NAMED.finditer(text) if _a_name_english_lacks(m.group("name"), known)]
    for match in _ADDRESSED.finditer(text):
        if match.group("name"):
            spans += [match.span("name")] if is_given_name(match.group("name")) else []
        elif is_given_name(match.group("first")) and is_given_name(match.group("second")):
            spans += [match.span("first"), match.span("second")]
    spans += [m.span("name") for m in _INTRODUCED_WITH_AGE.finditer(text) if _introduced_name(m.group("name"))]
    for match in _GREETED_IN_LOWER_CASE.finditer(text):
        group = match.lastgroup or "greeted"
        word = match.group(group)
        if is_given_name(word) or (_introduced_name(word) and not known(word)):  # not "hey siri,", "thanks paypal!"
            spans.append(match.span(group))
    for match in _NAMED_WITH_AGE.finditer(text):  # a number alone only after a listed name: not "Revolut (10)"
        name = match.group("name")
        if is_given_name(name) or (not match.group("number_only") and not known(name)):
            spans.append(match.span("name"))
    spans += _names_in_lower_case(text, ordinary, known)
    spans += _chat_speakers(text, ordinary)
    spans += _timestamped_speakers(text, known)
    spans += _script_speakers(text, known)
    spans += [m.span("name") for m in _KIN_OF.finditer(text) if is_given_name(m.group("name"))]
    spans += _named_before_an_address(text, ordinary)
    spans += _names_given_as_answers(text, ordinary)
    spans += _names_after_a_cue(text, known)
    spans += _addressees(text, known, foreign)
    for match in _HANDLES.finditer(text):
        group = match.lastgroup or "mention"
        if group.startswith("agent") and not _an_agents_name(text, match.group(group).split()[0], ordinary):
            continue
        spans.append((match.start() if group == "mention" else match.start(group), match.end(group)))
    return spans


def _names_in_lower_case(
    text: str, ordinary: Callable[[str], bool], known: Callable[[str], bool]
) -> list[tuple[int, int]]:
    """A transcript's lower-case names after a title (with it, its initial and a second such word) or a name's field
    at a clause's end (where a name that is a word counts too): a listed given name or surname, or a word English
    lacks ("mister t okafor", "dr raj patel", "first name faith"; not "ms teams", "dr who", "200 ms avg", "first name
    basis", "last name will appear")."""
    spans = []
    for match in _TITLED_IN_LOWER_CASE.finditer(text):
        if match.group("field"):
            word = match.group("field")
            if is_name_that_is_a_word(word) or _lower_case_name(word, ordinary, known):
                spans.append(match.span("field"))
            continue
        if not _lower_case_name(match.group("titled"), ordinary, known):
            continue  # "ms teams", "ms avg", "mr whippy", "the doctor will"
        second = match.group("second")  # a surname after a given name ("dr raj patel"; not "ms. paltrow employs")
        end = match.end("second") if second and _lower_case_name(second, ordinary, known) else match.end("titled")
        spans.append((match.start(), end))
    return spans


_VOWEL = re.compile(r"[aeiouy]")


def _lower_case_name(word: str, ordinary: Callable[[str], bool], known: Callable[[str], bool]) -> bool:
    """Whether a lower-case word after a title or a name's field is a name: a listed given name or surname, or a word
    English lacks with a vowel (not "tmrw"), no ordinary word, verb or little word ("o'brien" is no "o")."""
    plain = re.sub(r"['’-]", "", word)
    if is_given_name(word) or plain.capitalize() in surnames():
        return True
    if known(plain) or not _VOWEL.search(plain) or _VERB_ENDING.search(word):
        return False
    return not ordinary(plain) and word not in _NOT_NAMES and word not in _stop_words()


def _chat_speakers(text: str, ordinary: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The speakers of a chat transcript in lower case ("dani: wait ur 26??\nkai: lmao\ndani: no way"): three lines or
    more start with a lower-case word and a colon, two to six words in all, one of them speaks twice, at least half
    of them are listed given names, and most lines go on with a word, not a value ("min: 10.2", "alpha: 0.01").
    Capitalised speakers are the NER's to find: capitalised words before colons are as often a list's items ("Rose:
    12", "Python:", "ROMEO:", "Georgia:"). A word English uses often is never withheld ("nico", "user")."""
    matches = list(_SPEAKER.finditer(text))
    if len(matches) < 3 or not all(match.group("speaker").islower() for match in matches):
        return []
    words = [match.group("speaker") for match in matches]
    distinct = set(words)
    if not 2 <= len(distinct) <= _MAX_SPEAKERS or max(map(words.count, distinct)) < 2:
        return []
    if 2 * sum(map(is_given_name, distinct)) < len(distinct):
        return []
    said = sum(text[match.end() : match.end() + 1].isalpha() for match in matches)
    if 2 * said <= len(matches):
        return []
    return [match.span("speaker") for match in matches if not ordinary(match.group("speaker"))]


# A chat's exported lines: a time stamp, then the speaker and a colon ("[18:12] Lena: Hast du …", "[12/02/26, 7:43
# pm] Kartika Sharma: haan", "12/02/2026, 19:43 - Tomasz: …").
_TIMESTAMPED_SPEAKER = re.compile(
    rf"(?m)^[ \t]*(?:\[[^\]\n]{{0,24}}\b\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?(?:[ \t]?[AaPp]\.?[Mm]\.?)?\][ \t]*"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}},? \d{{1,2}}:\d{{2}}(?:[ \t]?[AaPp]\.?[Mm]\.?)? [-–] )"
    rf"(?P<speaker>[{CAPITALS}][\w'’-]+(?: [{CAPITALS}][\w'’-]+){{0,2}}):"
)


def _timestamped_speakers(text: str, known: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The speakers of a chat's exported lines (`_TIMESTAMPED_SPEAKER`): a listed given name first, or a word English
    lacks where a listed given name speaks in the same chat too; never a role a chat names ("[09:14] Bot:", "[09:15]
    Mum:", "[10:02] Support Team:"), nor a program's or a brand's ("[10:01] Kubernetes:", "Tesco Clubcard:",
    "Dependabot:" beside no person)."""
    matches = [
        m for m in _TIMESTAMPED_SPEAKER.finditer(text) if m.group("speaker").split()[0].lower() not in _NO_AGENTS_NAMES
    ]
    firsts = [match.group("speaker").split()[0] for match in matches]
    people = any(is_given_name(first) for first in firsts)
    return [
        match.span("speaker")
        for match, first in zip(matches, firsts, strict=True)
        if is_given_name(first) or (people and not known(first))
    ]


# A script's or a dialogue's speaker with no time stamp: a given name and a colon where a line starts, before what they
# say ("Kasey: What a wife.\nEmily: Remember me?").
_SPEAKER_LINE = re.compile(
    rf"(?m:^)[ \t]*(?P<speaker>[{CAPITALS}][a-zà-öø-ÿā-ž]+)[ \t]*:[ \t]*(?=[\"“'‘{CAPITALS}][^\n]* )"
)


def _script_speakers(text: str, known: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The speakers of a dialogue (`_SPEAKER_LINE`), two of them at least (a form's "Bill: paid in full" alone is a
    field): listed given names, or with one of them, where every line reads as speech, names that are words ("Dawn:
    Remember me?") and words English lacks ("Ljudevit: \"Who are you?\"")."""
    matches = [
        match
        for match in _SPEAKER_LINE.finditer(text)
        if is_given_name(word := match.group("speaker")) or is_name_that_is_a_word(word) or not known(word)
    ]
    speakers = {match.group("speaker") for match in matches}
    listed = {speaker for speaker in speakers if is_given_name(speaker)}
    if len(listed) < 2:
        # one listed speaker: the others count where every line reads as speech ("Wendy: \"I'm Robert's daughter\"";
        # not a glossary's "Ruby: Dynamic typing\nKotlin: Static typing")
        spoken = all(_SPEECH.search(text, match.end(), _line_end(text, match.end())) for match in matches)
        if not listed or len(speakers) < 2 or not spoken:
            return []
    return [match.span("speaker") for match in matches]


# What a line of speech holds: a quote first, a person's pronoun, a question.
_SPEECH = re.compile(r"\A[\"“‘']|\b(?:I|I'm|me|my|you|your|we|us)\b|\?")


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


# A listed given name whose relative the text names: "I'm Jennifer's daughter", "Sophie's older brother".
_KIN_OF = re.compile(
    rf"\b(?P<name>[{CAPITALS}][a-zà-öø-ÿ]+)['’]s (?:late |little |big |older |younger |elder |eldest |youngest )?"
    rf"(?:{_RELATIONS})\b"
)


# A capitalised name where the words before say one comes: a child's naming ("She named him Timur"), a booking's name
# ("Maybe it's under Doku Aslakhanov", "reserved under the name Ines Okafor"), the answer to "What's your name?" on its
# line, "Her maiden name is Dam"; a middle initial may stand between ("Islambek A Umkhayev").
_NAME_AFTER_A_CUE = re.compile(
    r"\b(?:(?:[Ss]he|[Hh]e|[Tt]hey|[Ww]e|I|[Yy]ou) named (?:him|her|them|the baby|(?:our|my) (?:son|daughter|baby))"
    r"|(?i:it's|it is|its|maybe it's|might be|booked|reserved|listed|registered|booking is|reservation is|"
    r"account is|order is) under(?: the name(?: of)?)?"
    r"|(?i:what's|what is) your (?:full )?name\?"
    r"|(?P<strong>\b(?i:maiden name) is)|\b(?i:surname|last name|family name|first name|given name|middle name) is)"
    rf"[ \t]+(?P<name>[{CAPITALS}][\w'’-]+(?: [{CAPITALS}]\.?(?= ))?(?: [{CAPITALS}][\w'’-]+){{0,2}})"
)


_PLACEHOLDERS_TEXT = """
unknown none not withheld redacted private confidential the a required optional mandatory missing invalid empty
blank needed
"""
_PLACEHOLDERS = frozenset(_PLACEHOLDERS_TEXT.split())


def _names_after_a_cue(text: str, known: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Names after `_NAME_AFTER_A_CUE`: a listed given name first, or no word English knows (not "named him Bear",
    "it's under Review", "booked under Premium Economy", a form's "Your last name is Required"); after "her maiden
    name is" any capitalised word ("Dam", "Kohler"), never a placeholder ("Unknown")."""
    spans = []
    for match in _NAME_AFTER_A_CUE.finditer(text):
        words = [word for word in match.group("name").split() if len(word.rstrip(".")) > 1]
        if words[0].lower() in _PLACEHOLDERS:
            continue
        if match.group("strong") or is_given_name(words[0]) or not any(known(word) for word in words):
            spans.append(match.span("name"))
    return spans


# An envelope's or a label's addressee, or a signature's writer: a name alone on its line (after an address's label, or
# where a line starts) over the line of a street, a company or a job's title ("Billing address: Seid Globelnik\n    7420
# Dalmatinova 5 Apt. 701", "Korneli A Czarnecki\nThe Liberty Braves Group", "Miroš Horvatinčić\n\nCredit analyst").
_ADDRESSEE = re.compile(
    rf"(?m:^){LINE_MARK}(?:(?i:(?:billing |shipping |mailing |postal |delivery )?address(?:ee)?|recipient|"
    rf"deliver to|ship to)[ \t]*:[ \t]*)?(?P<name>{PERSONS_NAME})[ \t]*\n(?:[ \t]*\n)?{LINE_MARK}"
)


_BUILDING_NUMBER_ROOM = 7
_NAME_WORD = re.compile(rf"[{CAPITALS}][a-zà-öø-ÿā-ž'’-]+")


def _a_block_line(text: str, start: int, end: int) -> str | None:
    """What the line from `start` to `end` is where it follows a name at the head of an address's or a signature's
    block: "street" (its match may start after the building's number, "7420 Dalmatinova 5"), "company" ("The Liberty
    Braves Group", "SUNDAY CO.LTD.") or "job" ("Credit analyst"); None where it is none of them."""
    street = ADDRESS.search(text, start, end)
    if street is not None and street.start() <= start + _BUILDING_NUMBER_ROOM:
        return "street"
    line = text[start:end].strip()
    if named_as_organisation(line.rstrip(".").split() or [""]):
        return "company"
    return "job" if is_a_job(line) else None


def _addressees(text: str, known: Callable[[str], bool], foreign: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Names over a block's line (`_ADDRESSEE`, `_a_block_line`): over a street's line a listed given name first or a
    word English lacks, over a company's or a job's line a middle initial or only such words; no organisation's name
    ("Acme Holdings Ltd\n12 Main St")."""
    spans = []
    for match in _ADDRESSEE.finditer(text):
        words = match.group("name").split()
        below = _a_block_line(text, match.end(), _line_end(text, match.end()))
        if below is None or named_as_organisation(words):
            continue
        initial = any(len(word.rstrip(".")) == 1 for word in words)
        if below == "street":
            named = is_given_name(words[0]) or not all(known(word.rstrip(".")) for word in words if len(word) > 2)
        else:
            # over a company's or a job's line: a middle initial, or every word one English lacks, written as a name
            # is, outside a text of another language, where every noun lacks English ("Leiter Einkauf\nMüller GmbH");
            # not "Morgan Stanley\nGoldman Sachs Group", "Datadog APM\nSite Reliability Engineer", "Skechers Outlet"
            named = initial or (
                not foreign(text)
                and all(_NAME_WORD.fullmatch(word) and not known(word) for word in words if len(word) > 2)
            )
        if named:
            spans.append(match.span("name"))
    return spans


# The name a mail header gives before an address in angle brackets: "To: Hemi Walker <hemi.w@gmail.com>", "From:
# \"Ana Ruiz\" <ana@…>".
_NAMED_BEFORE_AN_ADDRESS = re.compile(
    rf"(?<![\w.'’&-])(?<!& )\"?(?P<name>[{CAPITALS}][\w'’.-]*(?: [{CAPITALS}][\w'’.-]*){{0,3}})\"?"
    r"[ \t]*<[^<>\s@]+@[^<>\s]+>"
)


def _named_before_an_address(text: str, ordinary: Callable[[str], bool]) -> list[tuple[int, int]]:
    """A mail header's name before its address (`_NAMED_BEFORE_AN_ADDRESS`): two words or more, not all of them
    ordinary English words and none a team's or a service's ("The Billing Team <billing@…>", "No Reply <…>"), or a
    listed given name alone ("Priya <priya@…>")."""
    spans = []
    for match in _NAMED_BEFORE_AN_ADDRESS.finditer(text):
        words = match.group("name").split()
        if any(word.lower() in _NO_AGENTS_NAMES or word.lower() in _NOT_A_SENDER for word in words):
            continue
        if (len(words) > 1 and not all(ordinary(word) for word in words)) or is_given_name(words[0]):
            spans.append(match.span("name"))
    return spans


# Senders that are no person, beside a chat's roles (`_NO_AGENTS_NAMES`).
_NOT_A_SENDER_TEXT = """
no noreply no-reply reply do-not-reply donotreply newsletter news info mailer daemon list mailing accounts payable
receivable notifications notification alerts office reception newsroom press kernel
"""
_NOT_A_SENDER = frozenset(_NOT_A_SENDER_TEXT.split())


# A transcript's answer to a question for a person's name on the line above: "agent: can you confirm the name on the
# order\ncustomer: aisha rahman", "who am i speaking to?\ncaller: yeah it's tom okafor" (not "what's the name of the
# product?").
_NAME_ASKED = re.compile(
    r"(?im)^[^\n]*\b(?:(?P<surname_asked>surname|(?:last|maiden|family) name)|your (?:full |first )?name|"
    r"(?:full|first) name|name on the (?:order|account|card|booking|policy|reservation)|name please|"
    r"who am i (?:speaking|talking) (?:to|with)|who'?s calling)\b[^\n]*\n[ \t]*(?:[a-z]+(?: \d)?[ \t]*:[ \t]*)?"
    r"(?:(?:yeah|yes|yep|sure|ok|okay|so|um|uh|er|erm|its|it's|it is|that's|thats|that is|my name is|my name's|i'm|im"
    r"|it'll be|that'd be)\b[ \t,.]*)*"
    r"(?P<answer>[A-Za-z][a-z'’-]+(?: (?!(?:and|thanks|thank|please)\b)[A-Za-z][a-z'’-]+){0,2})"
    r"(?=[ \t]*(?:[,.!?]|$| and\b| thanks\b| thank\b| please\b))"
)


def _names_given_as_answers(text: str, ordinary: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Names a transcript's line gives where the line above asks for one (`_NAME_ASKED`): a listed given name first,
    and no word after it one English uses often (not "sure thing", "one sec", "hold on", "will do"); where a surname
    or a maiden name is asked for, one word English does not use often ("mother's maiden name?\n… its fitzgerald")."""
    spans = []
    for match in _NAME_ASKED.finditer(text):
        words = match.group("answer").lower().split()
        if is_given_name(words[0]):
            named = not any(ordinary(word) or word in _NOT_NAMES for word in words[1:])
        else:
            named = bool(match.group("surname_asked")) and len(words) == 1 and not ordinary(words[0])
        if named and words[0] not in _NOT_NAMES:
            spans.append(match.span("answer"))
    return spans


# Names that are ordinary words ("Grace", "Will", "Faith"): a person only where the words around say one, as a word
# before that addresses someone or names their role ("ask Will", "spoke to Grace", "our manager, Hope,", "agent
# Joy") or a verb after that people do ("Summer said"). A capital alone says little: "good Faith", "Ode to Joy",
# "with Honey", "Apache Storm", German nouns ("diese Art"), lists ("Faith, Hope and Charity") (a hostile review).
_WORD_NAMES = (
    "Grace|Will|Rose|Faith|Hope|Dawn|Joy|Mark|Bill|Summer|Holly|Robin|Ivy|Dean|Ray|Chance|Patience|Charity|Honey|"
    "Candy|Storm|Art|Page"
)
_ADDRESSING_TEXT = """
ask asked asking tell told call called email emailed text texted message messaged ping pinged thank thanks contact
contacted cc met meet meeting phone phoned ring rang
manager colleague friend wife husband daughter son sister brother mum mom dad boss agent nurse doctor teacher
neighbour neighbor assistant supervisor landlord landlady partner cousin aunt uncle niece nephew coach advisor adviser
rep representative tutor therapist carer caregiver babysitter nanny
"""
_ADDRESSING = frozenset(_ADDRESSING_TEXT.split())
# "spoke to Grace", "talked with Will", "forward this to Hope"
_TO_SOMEONE = re.compile(
    r"(?i:spoke|speak|speaking|talk|talked|talking|chat|chatted|reply|replied|write|wrote|send|sent|forward|"
    r"forwarded|give|gave|pass|passed|hand|handed|this|it|them|him|her)[ \t]+(?:to|with)[ \t]+$"
)
_PERSON_VERBS_TEXT = """
said says asked told called rang phoned emailed texted messaged wrote replied mentioned confirmed agreed promised
explained signed answered helped thinks thought wants wanted needs needed insisted suggested shouted yelled screamed
whispered
"""
_PERSON_VERBS = frozenset(_PERSON_VERBS_TEXT.split())
_WORD_NAME = re.compile(rf"\b(?P<name>{_WORD_NAMES})\b(?![\w'’.-]\w)")
_WORD_BEFORE = re.compile(r"([a-z]+),?[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([a-z]+)\b")


def find_word_names(text: str) -> list[tuple[int, int]]:
    """Names that are also ordinary words (`_WORD_NAMES`), where the word before addresses someone or names a role,
    or the word after is a verb of what people do: "Please ask Will about it", "I spoke to Grace", "Summer said"."""
    spans = []
    for match in _WORD_NAME.finditer(text):
        start, end = match.span()
        before = _WORD_BEFORE.search(text, max(0, start - 24), start)
        after = _WORD_AFTER.match(text, end)
        if (
            (before is not None and before.group(1) in _ADDRESSING)
            or _TO_SOMEONE.search(text, max(0, start - 24), start) is not None
            or (after is not None and after.group(1) in _PERSON_VERBS)
        ):
            spans.append((start, end))
    return spans
