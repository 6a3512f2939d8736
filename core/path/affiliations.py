"""The `affiliation` group: an organisation the text ties to a person, their employer, school or university, or the
company under their signature ("I work for Wipro", "a PhD student at IIT Bombay", "Senior Counsel, Mahindra
Logistics", "Employer: Boeing", "it's Marissa from Clearwater Dental").

An employer or a school narrows a person down as surely as their town does, so `pii` withholds it; an organisation
the text does not tie to anyone stays with the opt-in `organization` group. What ties it (a hostile review of the
first version found each of the "not" cases):
- a verb of working or studying there whose clause has a person for its subject ("I", "she", "my husband", "who"):
  "I currently work for the Department for Work and Pensions", "she graduated from the University of Limerick"
  (not "The product works at Walmart and Target stores", "The lift is currently at Floor 4", "Position at Amazon");
- a role with its article or a person's "my", "her": "a nurse at Rush", "her line manager at Flutterwave", "a
  final-year student at Covenant University" (not "analysts at Barclays expect", news about a company's staff); a
  role or such a verb in brackets after a listed given name or "me": "Sione (nurse at Auckland City Hospital)", "me
  (Priyanka, 27, works at Mount Sinai)" (not "Apple Pay (works at Tesco)", "Data Analyst (analyst at Barclays)");
- "it's"/"this is"/"I'm" and a listed given name before "from" and a name that ends as an organisation's does
  ("it's Marissa from Clearwater Dental"; not "I'm Anna Novak from Brno", "I'm Sorry from Brenda Lee topped the
  charts");
- a person's form field, "Employer:", "Place of work:", "School:", its value a name that ends the field (not an
  invoice's "Company:", nor "Employer: The Employer Must Provide A Written Statement");
- a signature's role and the organisation after it ("HR Executive, Infosys"; not a department, "Director, Finance and
  Operations"), or on the line below it where its name ends as an organisation's does ("Senior Software Engineer\n
  Monzo Bank");
- a person's name (its first word a listed given name, or no word English knows: "Yukiyo Hakugi"; not in a
  title-case headline) and, where the organisation's name ends as one's does, "of", "from" or a bracket ("Maria Lopez
  of Acme Holdings Inc."; not "Catherine of Aragon"), the next line after a sign-off ("Thanks,\nSarah
  Thompson\nAcme Holdings Ltd"), or the next line above a street's line in an address block (not a list's "Top
  holdings:\nMorgan Stanley\nGoldman Sachs Group");
- such a name after an organisation's possessive, with a title or a surname English lacks ("Daimler AG's Laura
  Knutsen", "Pure Storage Inc.'s Ms. Ana Ruiz"; not "Microsoft Corp's Windows Vista", a brand's "Diageo plc's Johnnie
  Walker", "Daimler AG's Mercedes Benz division"); a department's or a desk's name is none ("Kundenservice
  Abteilung\nAcme GmbH\nHauptstraße 5");
- a patient's appointment at, registration with or admission to a hospital, clinic or practice ("my father has an
  appointment at Tan Tock Seng Hospital"; not "a patient at … had tested positive").
The organisation is the NER's ORG entity right after the cue, or else the capitalised words there; one capitalised
word that English knows ("at Harvest") only where the NER says it is an organisation. A text in lower case holds
none: a film review's "works for anyone" is no employer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from core.path.addresses import ADDRESS, LINE_MARK, UK_CA_POSTCODE
from core.path.casing import CAPITALS
from core.path.name_list import is_given_name
from core.path.sign_offs import SIGN_OFFS

_ROLE = (
    r"student|pupil|nurse|teacher|doctor|physician|engineer|intern|manager|analyst|developer|lecturer|professor|"
    r"researcher|volunteer|employee|cashier|consultant|accountant|trainee|apprentice|associate|fellow|midwife|"
    r"paramedic|carer|receptionist|barista|chef|driver|cleaner|technician|pharmacist|solicitor|lawyer|RN|GP|"
    r"sophomore|freshman|fresher|undergrad|undergraduate|postgrad|postgraduate|PhD student|registrar|"
    r"physiotherapist|physio|dentist|director|economist"
)
_SCHOOL = (
    r"School|College|Academy|University|Primary|Nursery|Kindergarten|Montessori|Kita|Colegio|Escuela|École|Lycée|"
    r"Gymnasium|Scoil"
)
_CARE = r"Hospital|Clinic|Surgery|Practice|Medical Centre|Medical Center|Infirmary|Hospice"
# Verbs of working or studying somewhere, in lower case (a capital only where a sentence starts: a headline's "Work
# With Students Across …" ties nobody); working "with" someone, a contract or a meeting is no tie.
_VERBS = (
    r"[Ww](?:orks?|orked|orking) (?:as an? [\w -]{1,30}? )?(?:at|for)|[Ww]ork (?:full-time|part-time) (?:at|for)"
    r"|(?:[Tt]each|[Tt]eaches|[Tt]aught|[Tt]eaching|[Ii]ntern|[Ii]nterns|[Ii]nterned|[Ii]nterning|[Vv]olunteers?) at"
    r"|(?:[Ee]mployed|[Hh]ired) (?:at|by|with)"
    r"|(?:[Cc]urrently|[Pp]reviously|[Ff]ormerly) (?:at|with|working at|working for|employed at|employed by)"
    r"|\d{1,2} (?:years?|yrs|months) (?:at|with)"
    # a patient's hospital, clinic or practice: "my father has an appointment at Tan Tock Seng Hospital", "I'm
    # registered with Parkside Surgery", "she was admitted to St Mary's Hospital" (not "a patient at … had tested
    # positive", "They admitted to … that they overcharged")
    rf"|(?:[Aa]ppointment at|[Rr]egistered with|(?:was|were|been|being) admitted to)(?= (?:the )?"
    rf"[^\n,.]{{0,40}}\b(?:{_CARE})\b)"
    r"|(?:[Jj]ob|[Rr]ole|[Pp]osition|[Pp]ost|[Ii]nternship|[Pp]lacement|[Cc]areer|[Ss]hift) at"
    r"|(?:[Ss]tudy|[Ss]tudies|[Ss]tudied|[Ss]tudying)(?: [a-z]+| [A-Z][a-z]+(?= and| at)){0,3} at"
    r"|(?:[Ss]tudy|[Ss]tudies|[Ss]tudied|[Ss]tudying|[Ee]nrolled|[Gg]raduated) (?:at|from)"
    r"|(?:[Dd]egree|MSc|BSc|BA|MA|MBA|PhD|[Dd]iploma|[Qq]ualification) (?:from|at)"
    rf"|(?:[Ss]tarts|[Ss]tarted|[Aa]ttends|[Aa]ttended|[Gg]oes to school|[Ww]ent to school) at(?= (?:the )?"
    rf"[^\n,.]{{0,40}}\b(?:{_SCHOOL})\b)"
    r"|[Jj]oining us from"
)
# First persons of other languages say who works there: "ich arbeite bei", "werk bij", "trabajo en".
_ABROAD = (
    r"[Aa]rbeite bei|[Ww]erk bij|[Tt]rabajo en|[Tt]ravaille chez|[Tt]rabalho na|[Tt]rabalho no|[Ll]avoro presso|"
    r"[Pp]racuję w|[Dd]erzeit tätig bei|[Bb]eschäftigt bei|[Aa]usbildung bei"
)
# The subject of a verb's clause is a person: "I", "she", "my husband", "who".
_PERSON_SUBJECT = re.compile(r"\b(?:I|[Hh]e|[Ss]he|[Tt]hey|[Ww]ho|[Mm]y|[Hh]is|[Hh]er|[Tt]heir)\b")
# a person's name, its first word a listed given name: "Chiara Esposito worked as …" (not "Google Pay works at")
_NAMED_SUBJECT = re.compile(rf"\b(?P<given>[{CAPITALS}][a-zà-öø-ÿ]+) [{CAPITALS}][a-zà-öø-ÿ'’-]+\b")
_NAME_BEFORE_COMMA = re.compile(rf"(?<![\w'’-])[{CAPITALS}][a-zà-öø-ÿ'’-]+, \Z")
_CLAUSE_START = re.compile(r"[.!?;\n][^.!?;\n]*\Z")
_ROLE_WITH_ARTICLE = rf"\b(?:[Aa]n?|[Mm]y|[Hh]is|[Hh]er) (?:[\w-]+ ){{0,2}}(?:{_ROLE}) at"
# A person's aside in brackets after their name (or "me"): "Sione (nurse at Auckland City Hospital)", "Ollie (PhD at
# University of Auckland)", "me (Priyanka, 27, works at Mount Sinai)".
_ASIDE = (
    rf"(?:\b(?P<aside_who>[{CAPITALS}][a-zà-öø-ÿ'’-]+)|\bme) \((?:[^()\n]{{0,24}}, )?"
    rf"(?:(?:[\w-]+ ){{0,2}}(?:{_ROLE}|PhD|MSc|MBA)|works|worked|teaches|taught|studies|studied) (?:at|@)"
)
_INTRODUCED = (
    rf"(?:[Ii]t's|[Ii]t is|[Tt]his is|I'm|I am) (?P<who>[{CAPITALS}][\w'’-]+)(?: [{CAPITALS}][\w'’-]+){{0,2}} from"
)
_FIELD = (
    r"(?m:^)[ \t]*(?i:employer|employer name|employer's name|name of employer|current employer|workplace|place of work|"
    r"school|school attended|"
    r"university|college|arbeitgeber|empresa|employeur)[ \t]*:"
)
_TITLE_WORD = (
    r"Manager|Officer|Executive|Lead|Counsel|Consultant|Analyst|Engineer|Director|Supervisor|Negotiator|Professor|"
    r"Solicitor|Coordinator|Co-ordinator|Assistant|Specialist|Administrator|Associate|Adviser|Advisor|Representative|"
    r"Receptionist|Reception|Recruiter|Partner|Handler|Clerk|Secretary|Nurse|Teacher|Principal|Founder|CEO|CFO|CTO|"
    r"President|Head of [A-Z][a-z]+"
)
_ROLE_LINE = re.compile(rf"\n[ \t]*(?:[A-Z][\w&.-]* ){{0,4}}(?:{_TITLE_WORD})\b")
# A role where a signature's line starts or after a name and its comma ("Gemma Pryce, Operations Manager, Caerphilly
# Freight Ltd"), with its field ("Assistant Professor of Economics\nUniversity of Vermont"), then the organisation.
_SIGNED = (
    rf"(?:(?m:^)[ \t]*|(?P<inline>(?<=[a-z], )))(?:[A-Z][\w&.-]* ){{0,4}}(?:{_TITLE_WORD})"
    rf"(?: of [A-Z][a-z]+(?: [A-Z][a-z]+)?(?=\n))?[ \t]*(?:,|\||–|—| - |(?P<next_line>\n)[ \t]*)"
)
# A person's name (`a_persons_name`) and the organisation after "of", "from" or a bracket ("Maria Lopez of Acme
# Holdings", "Romano B. Siciliano from Tanseisha Co.Ltd.", a given name alone before "is from") or,
# in a signature, on the line under the name alone on its line after a sign-off ("Thanks,\nMaria Lopez\nAcme Holdings
# Ltd"; not a list's "Top holdings:\nMorgan Stanley\nGoldman Sachs Group"), or in an address block, above a street's
# line; a role's line may stand between. A middle initial, "Benjamin A. Iversen", and a surname's particle, "Troy C
# van Oene", are part of the name.
_NAME_PARTICLE = r"van|von|de|da|di|du|del|der|den|la|le|ten|ter"
_NAME_PARTICLES = frozenset(_NAME_PARTICLE.split("|"))
PERSONS_NAME = (
    rf"[{CAPITALS}][a-zà-öø-ÿā-ž]+(?: [{CAPITALS}]\.?(?= ))?(?: (?:{_NAME_PARTICLE})(?= [{CAPITALS}]))?"
    rf"(?: [{CAPITALS}][\w'’-]+){{1,2}}"
)
# A sign-off and its line break, before the writer's name ("Regards,\nAna Ruiz"; `core.path.occupations` reads it too).
SIGN_OFF_LINE = rf"\b(?i:{SIGN_OFFS}|yours|warmly|rgds)[,!.]?[ \t]*\n[ \t]*"


def _role_line_between(cue: str) -> str:
    """A role's or a department's line that a signature may hold between the name and the organisation ("Priya
    Raghunathan\nManager – Vendor Relations\nSrinivasa Textiles Pvt. Ltd."): no digit, no mark of a sentence's end."""
    return rf"(?:{LINE_MARK}(?P<between_{cue}>[{CAPITALS}][^\n\d.!?:@]{{1,50}})\n)?"


_NAMED = (
    rf"(?P<named_of>\b(?P<who_of>{PERSONS_NAME}|[{CAPITALS}][a-zà-öø-ÿ]+(?= is from))(?: is)? (?:of|from|\())"
    rf"|(?P<named_line>{SIGN_OFF_LINE}(?P<who_line>{PERSONS_NAME})[ \t]*\n{_role_line_between('line')})"
    rf"|(?P<named_block>(?m:^){LINE_MARK}(?P<who_block>{PERSONS_NAME})[ \t]*\n{_role_line_between('block')}"
    rf"{LINE_MARK})"
)
# What follows an organisation in a postal address's block, under its addressee: a street's line ("Maria Lopez\nAcme
# Holdings Ltd\n12 Main St").
_LINE_AFTER = re.compile(rf"[^\n]{{0,12}}\n{LINE_MARK}")
_CUE = (
    rf"(?:\b(?P<verb>{_VERBS})|\b(?P<abroad>{_ABROAD})|(?P<role>{_ROLE_WITH_ARTICLE})|(?P<introduced>{_INTRODUCED})"
    rf"|(?P<aside>{_ASIDE})"
    rf"|(?P<field>{_FIELD})|(?P<signed>{_SIGNED})|{_NAMED})[ \t]*(?:the[ \t]+)?"
)
_AFTER_CUE = re.compile(_CUE)
_BEFORE = re.compile(rf"{_CUE}\Z")
_LOOK_BACK = 80  # characters before an organisation that may hold its cue
_PARTICLE = r"of|de|du|la|le|des|del|der|für|and|&"
_WORD = rf"[{CAPITALS}](?:[\w&'’-]|\.(?=\w))*"  # a dot only within a word ("S.p.A"): "Swiggy. Ravi" is two
# (ten words at most: a run of capitals as long as the text is no name, and reading it at every cue took quadratic time;
# a company's possessive ends it: "Fang Holdings Limited's and Vilmer Holmberg" is one organisation and a name, "St
# Vincent's Hospital" one organisation)
_LOWER_ENDING = r"(?:plc|ltd|llc|inc|gmbh|s\.r\.o|s\.r\.l|a\.s|d\.o\.o|sp\. z o\.o)\b"  # "Diageo plc", "Kodemat s.r.o."
_NOT_AFTER_A_COMPANYS = "".join(
    f"(?<!{ending}{mark}s)"
    for ending in ("Ltd", "Limited", "Inc", "Corp", "Corporation", "plc", "PLC", "LLC", "AG")
    for mark in "'’"
)
_ORGANISATION = re.compile(
    rf"{_WORD}(?:{_NOT_AFTER_A_COMPANYS} (?:{_WORD}|(?:{_PARTICLE})(?= [{CAPITALS}]\w)|{_LOWER_ENDING})){{0,9}}"
    r"(?<!['’-])"
)
# Words that after a cue are no organisation when they are all of it: a cash machine, a time, a floor, a department
# or region a signature names ("Director, Finance and Operations", "Manager, EMEA").
_NOT_ORGANISATIONS_TEXT = """
atm atms pos pin home night nights weekend weekends holidays bank present time times floor level room stage the
and of &
finance operations sales marketing hr human resources it engineering legal procurement customer service services
accounts support product research development communications strategy compliance risk security logistics
emea apac americas europe north south east west america uk us global international regional national team
"""
_NOT_ORGANISATIONS = frozenset(_NOT_ORGANISATIONS_TEXT.split())
_FIELD_WORDS = 5  # a form's value of more words is a sentence, not a name
# Words of a heading or a sentence, not of a name, in a form's value ("University: A Guide For Parents").
_HEADING_WORDS = frozenset(["A", "An", "For", "To", "In", "On", "With", "Your", "Our", "How", "What", "Why", "Is"])
# The last word of an organisation's name ("Croydon Council", "Crescent City Rentals"): after a signature's role, the
# name needs one, or a word English does not know ("HR Executive, Infosys"), to be no department ("Team Lead,
# Customer Success", "Specialist, Tax and Treasury").
_ORGANISATION_ENDS_TEXT = """
Ltd Limited LLP LLC Inc Corp Corporation plc PLC GmbH AG SA SpA BV NV Oy AB Pty Co Company Group Bank University
College School Academy Council Hospital Clinic Surgery Practice Trust Foundation Institute Agency Authority Ministry
Services Solutions Consulting Partners Associates Studios Recruitment Lettings Rentals Realty Insurance Mutual Dental
Pharmacy Church Police Holdings Industries Logistics Foods Motors Airlines Hotel Hotels Garage Plumbing Electrical
Fund ETF REIT Bancorp SRO SRL SAS SARL SL KG Pvt Lda Ltda Oyj ApS Kft Zrt DOO ASA AS SP KK LP Bhd Berhad Tbk
Roofing Bakery Salon Gym Fitness Estates Energy Telecom Broadband Vets Veterinary Opticians Physio Physiotherapy
"""
_ORGANISATION_ENDS = frozenset(word.casefold() for word in _ORGANISATION_ENDS_TEXT.split())


def _an_organisations_word(word: str) -> bool:
    """Whether `word` is one that ends an organisation's name, in any case, with its dots or its possessive ("LTD",
    "Co.Ltd", "S.A", "Inc", "Corporation's")."""
    word = re.sub(r"['’]s$", "", word)  # "… of Fortive Corporation's": its name ends before the possessive
    return word.replace(".", "").casefold() in _ORGANISATION_ENDS or word.rsplit(".", 1)[-1].casefold() in (
        _ORGANISATION_ENDS
    )


def named_as_organisation(words: list[str]) -> bool:
    """Whether a name ends as an organisation's does, or starts so before "of" ("University of Vermont")."""
    return _an_organisations_word(words[-1]) or (
        len(words) > 2 and _an_organisations_word(words[0]) and words[1] == "of"
    )


def a_persons_name(name: str, known: Callable[[str], bool]) -> bool:
    """Whether a name of two or three words is a person's: its first word a listed given name, none of its words one
    English knows ("Yukiyo Hakugi"; not "Annual Report", "Goldman Sachs"), initials and particles aside, or a middle
    initial between a given name and a surname in lower case after their capitals; no word a department's
    ("Kundenservice Abteilung", "Retouren Zentrale")."""
    words = _name_words(name)
    if any(word.lower().endswith(DEPARTMENT_ENDINGS) for word in words):
        return False
    return is_given_name(words[0]) or not any(map(known, words)) or _MIDDLE_INITIAL.search(name) is not None


# A middle initial between two capitalised words, as people's names have and brands' seldom do ("Romano B. Siciliano",
# "Kelima V Kisilak").
_MIDDLE_INITIAL = re.compile(rf"^[{CAPITALS}][a-zà-öø-ÿā-ž]+ [{CAPITALS}]\.? [{CAPITALS}][a-zà-öø-ÿā-ž'’-]+$")


# How a department's or a desk's name ends, in English and German: no person's name does.
DEPARTMENT_ENDINGS = (
    "abteilung",
    "zentrale",
    "department",
    "team",
    "service",
    "retouren",
    "versand",
    "buchhaltung",
    "einkauf",
    "vertrieb",
    "support",
    "office",
    "desk",
    "accounts",
    "sales",
    "marketing",
    "returns",
    "dienst",
)


def _a_surname_english_lacks(name: str, known: Callable[[str], bool]) -> bool:
    """Whether a name's last word is none English knows: a person's ("Laura Knutsen"), not a brand's that a company
    owns ("Johnnie Walker", "Louis Vuitton")."""
    return not known(_name_words(name)[-1])


def _name_words(name: str) -> list[str]:
    """A name's words less its initials and particles."""
    return [word for word in name.split() if len(word.rstrip(".")) > 1 and word not in _NAME_PARTICLES]


_HEADLINE_LOWER_TEXT = "a an and as at by for from in of on or the to vs with"
_HEADLINE_LOWER_WORDS = frozenset(_HEADLINE_LOWER_TEXT.split())
_HEADLINE_REACH = 200  # characters either side of a name that its line is read for (a 100,000-character line: linear)


def _in_a_headline(text: str, position: int) -> bool:
    """Whether the line at `position` is a headline in title case: four words or more, none in lower case but little
    ones ("Paige Thomas Appointed President of Saks OFF 5TH"; not "Sarah Thompson of Acme Ltd called.")."""
    low, high = max(0, position - _HEADLINE_REACH), min(len(text), position + _HEADLINE_REACH)
    start, end = text.rfind("\n", low, position) + 1 or low, text.find("\n", position, high)
    words = [word for word in text[start : high if end == -1 else end].split() if word[:1].isalpha()]
    return len(words) >= 4 and all(word[0].isupper() or word in _HEADLINE_LOWER_WORDS for word in words)


def _a_person_is_its_subject(text: str, position: int) -> bool:
    """Whether the clause before `position` has a person for its subject: "I", "she", "my husband", "who", a name
    whose first word is a listed given name ("Chiara Esposito worked as …"; not "Google Pay works at")."""
    clause = _CLAUSE_START.search(text, max(0, position - 60), position)
    start = clause.start() if clause is not None else max(0, position - 60)
    return _PERSON_SUBJECT.search(text, start, position) is not None or any(
        is_given_name(name.group("given")) for name in _NAMED_SUBJECT.finditer(text, start, position)
    )


def _ties(text: str, cue: re.Match[str], known: Callable[[str], bool]) -> bool:
    """Whether a cue's match ties what follows it to a person (see the module's docstring)."""
    if cue.group("verb") is not None:
        return _a_person_is_its_subject(text, cue.start())
    if cue.group("inline") is not None:  # a role after a comma follows a person's name: "Gemma Pryce, Operations …"
        return _NAME_BEFORE_COMMA.search(text, max(0, cue.start() - 60), cue.start()) is not None
    if cue.group("who") is not None:
        return is_given_name(cue.group("who"))
    if cue.group("aside_who") is not None:  # "Sione (nurse at …)"; not "Data Analyst (analyst at Barclays)"
        return is_given_name(cue.group("aside_who"))
    for who in ("who_of", "who_line", "who_block"):
        if cue.group(who) is not None:
            name = cue.group(who)
            if " " not in name and known(name):
                return False  # "Alexa is from Amazon Inc.", "Jordan is from Nike Inc.": a product's or brand's name
            # after a sign-off or over a block's lines, a name line needs one word English lacks ("Priya Raghunathan",
            # "Lika Pokrovskaya\nRainbow Rare Earths Ltd\nUSNV Grönholm")
            signed = who in ("who_line", "who_block") and not all(map(known, _name_words(name)))
            return (
                (a_persons_name(name, known) or signed)
                and not named_as_organisation(name.split())  # "Lucy Cavendish College\nUniversity of Cambridge"
                and not _in_a_headline(text, cue.start(who))
            )
    return True


_HOUSE_AND_NAME = re.compile(rf"\d{{1,6}}[A-Za-z]?(?:[ -]\d{{1,6}})? [{CAPITALS}]")
_TO_LINES_END = re.compile(r"[^\n]*")
# A postcode and its town where a line starts ("110 00 Praha 1", "3511 NR Utrecht", "00-950 Warszawa")
_POSTCODE_AND_TOWN = re.compile(
    rf"(?:\d{{3}} \d{{2}}|\d{{2}}-\d{{3}}|\d{{4}} ?[A-Z]{{2}}|\d{{4,5}}|{UK_CA_POSTCODE}),? [{CAPITALS}]"
)


def _a_street_line_follows(text: str, end: int) -> bool:
    """Whether the line after `end` starts with a house number and a name, or holds a street ("…\n12 Main St", "…\n
    8026 19 boulevard Bryas"), or the line after it starts with a postcode and a town ("…\nNa Příkopě 22\n110 00
    Praha 1"; not a list's "…\n12 sponsors in total", "…\n1st prize")."""
    line = _LINE_AFTER.match(text, end)
    if line is None:
        return False
    line_end = _TO_LINES_END.match(text, line.end()).end()
    if _HOUSE_AND_NAME.match(text, line.end()) is not None or ADDRESS.search(text, line.end(), line_end) is not None:
        return True
    if ADDRESS.match(text, line.end()) is not None:  # a street of two lines: "USNV Grönholm\nFPO AA 93920"
        return True
    next_line = _LINE_AFTER.match(text, line_end)  # a street no pattern knows, over its postcode and town
    return next_line is not None and _POSTCODE_AND_TOWN.match(text, next_line.end()) is not None


# A signature's contact line: a phone's or an e-mail's label, an e-mail, or a phone number's digits alone on it
# ("Mobile: 467 3395", "Desk: +41 82 878 01 22", "083 564 9312 office"); a web site is a company's, no person's.
_CONTACT_LINE = re.compile(
    r"(?i:tel|tél|phone|mobile|mob|cell|desk|office|direct|fax|e-?mail|email)\b"
    r"|[^\n@\s]+@[^\n@\s]+\.\w+|[+(]?\d[\d ()./-]{6,}\d\b"
)


def _a_contact_line_follows(text: str, end: int) -> bool:
    """Whether one of the two lines after `end` is a signature's contact line (`_CONTACT_LINE`): a street's line may
    stand between ("Finlab AG\nBernard and Postbox 53\n083 564 9312 office")."""
    line = _LINE_AFTER.match(text, end)
    if line is None:
        return False
    if _CONTACT_LINE.match(text, line.end()) is not None:
        return True
    next_line = _LINE_AFTER.match(text, _TO_LINES_END.match(text, line.end()).end())
    return next_line is not None and _CONTACT_LINE.match(text, next_line.end()) is not None


def _an_address_follows(text: str, end: int, name: str) -> bool:
    """Whether a street's or a contact's line follows the organisation's line ending at `end`, the addressee's name
    repeated between as an envelope's block may ("Keiran White\nStern Groep NV\nKeiran White\n16239 25 Kogil
    Street")."""
    if _a_street_line_follows(text, end) or _a_contact_line_follows(text, end):
        return True
    line = _LINE_AFTER.match(text, end)
    if line is None or not text.startswith(name, line.end()):
        return False
    return _a_street_line_follows(text, line.end() + len(name))


def _organisation(text: str, start: int, cue: re.Match[str], known: Callable[[str], bool]) -> tuple[int, int] | None:
    """The organisation's words from `start` (after a "the"), or None where they are none (all department, time or
    place-of-service words) or, after a field's label, no name that ends the field."""
    found = _ORGANISATION.match(text, start + 4 if text.startswith("the ", start) else start)
    if found is None:
        return None
    words = found.group().split()
    if all(word.lower().strip("'’") in _NOT_ORGANISATIONS for word in words):
        return None
    if cue.group("field") is not None:
        after = text[found.end() : found.end() + 2]
        if len(words) > _FIELD_WORDS or not (after == "" or after[0] in "\n,;|" or after.strip() == ""):
            return None
        if any(word in _HEADING_WORDS for word in words):
            return None
    if cue.group("signed") is not None and not named_as_organisation(words) and all(map(known, words)):
        return None
    if (cue.group("introduced") or cue.group("next_line")) and not named_as_organisation(words):
        return None  # "I'm Anna Novak from Brno", "Engineer\nRavi Shankar": a town, a name as often
    named_end = cue.group("named_line") or cue.group("named_block") or cue.group("named_of")
    if named_end and not named_as_organisation(words):
        return None  # "Catherine of Aragon", "Maria Lopez\nHead of Sales"
    if cue.group("named_block") and not _an_address_follows(text, found.end(), cue.group("who_block")):
        return None
    return found.span()


def is_affiliated(text: str, start: int, known: Callable[[str], bool] = lambda word: False) -> bool:
    """Whether the words just before `start` tie the organisation that starts there to a person (`known` says which
    words English knows)."""
    cue = _BEFORE.search(text, max(0, start - _LOOK_BACK), start)
    if cue is None or not _ties(text, cue, known):
        return False
    return _organisation(text, start, cue, known) is not None


def _cues(text: str) -> Iterator[re.Match[str]]:
    """Every cue, overlapping ones too: a signature's name line ends where its role's line starts."""
    cue = _AFTER_CUE.search(text)
    while cue is not None:
        yield cue
        cue = _AFTER_CUE.search(text, cue.start() + 1)


# An organisation whose name ends as one's does, then "'s" and a person's name: "Daimler AG's Laura Knutsen", "Pure
# Storage Inc.'s Ms. Ana Ruiz".
_OWNER_WORD = rf"[{CAPITALS}](?:[\w&-]|\.(?=\w))*"  # no apostrophe: "Daimler AG's Laura" has its owner end at "AG"
_OWNED_BY = re.compile(
    rf"(?P<organisation>{_OWNER_WORD}(?: (?:{_OWNER_WORD}|(?:{_PARTICLE})(?= [{CAPITALS}]\w)|{_LOWER_ENDING})){{0,9}})"
    rf"\.?['’]s "
    rf"(?P<title>(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.? )?(?P<who>{PERSONS_NAME})\b"
)


# Words after a brand named as a person that make it the company's thing: "Daimler AG's Mercedes Benz division".
_A_COMPANYS_THING = re.compile(
    r" (?i:division|brand|unit|subsidiary|label|line|range|fund|shares|stock|products?|business|arm|plant|factory|"
    r"stores?|models?|cars?|collection|group|franchise|chain)\b"
)


def _owners_of_people(text: str, known: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    """Organisations a person's name follows as theirs (`_OWNED_BY`), outside a title-case headline and not before
    a word that makes the name a brand (`_A_COMPANYS_THING`)."""
    for found in _OWNED_BY.finditer(text):
        if (
            _A_COMPANYS_THING.match(text, found.end()) is None
            and named_as_organisation(found.group("organisation").split())
            and a_persons_name(found.group("who"), known)
            and (found.group("title") is not None or _a_surname_english_lacks(found.group("who"), known))
            and not _in_a_headline(text, found.start("who"))
        ):
            yield found.span("organisation")


def find_affiliations(text: str, known: Callable[[str], bool] = lambda word: False) -> list[tuple[int, int]]:
    """Capitalised words right after an affiliation's cue, or before a person's name as theirs; one word that English
    knows (`known`) is left to the NER."""
    spans = list(_owners_of_people(text, known))
    for cue in _cues(text):
        if not _ties(text, cue, known):
            continue
        span = _organisation(text, cue.end(), cue, known)
        between = next((group for group in ("between_line", "between_block") if cue.group(group) is not None), None)
        if span is None and between is not None:  # the line read as a role's is the organisation's ("Grace Achieng\n
            span = _organisation(text, cue.start(between), cue, known)  # Rift Valley Surveys Ltd\nP.O. Box 1187")
        if span is None:
            continue
        words = text[span[0] : span[1]].split()
        if len(words) > 1 or not known(words[0]):
            spans.append(span)
    return list(dict.fromkeys(spans))  # overlapping cues may name one organisation twice


_LINE_OR_LINK = re.compile(r"\n|\s+(?i:https?://|www\.)")


def on_its_line(text: str, start: int, end: int) -> tuple[int, int]:
    """An NER organisation cut at its first line break or link: a form's "Employer: Boeing\nEthnicity: …" is one
    field, a tweet's "… of Bla… https://t.co/…" ends before its link."""
    cut = _LINE_OR_LINK.search(text, start, end)
    return (start, end if cut is None else cut.start())


def a_role_line_follows(text: str, end: int) -> bool:
    """Whether the line after `end` names a role, as a signature's does under its name ("Raj Patel\nHousing
    Officer")."""
    return _ROLE_LINE.match(text, end) is not None
