"""The `affiliation` group: an organisation the text ties to a person, their employer, school or university, or the
company under their signature ("works for Wipro", "a PhD student at IIT Bombay", "Senior Counsel, Mahindra
Logistics", "Employer: Boeing", "it's Marissa from Clearwater Dental").

An employer or a school narrows a person down as surely as their town does, so `pii` withholds it; an organisation
the text does not tie to anyone ("Deloitte or KPMG are still hiring", "Marks & Spencer Percy Pigs are back") stays
with the opt-in `organization` group. The organisation is the NER's ORG entity right after the cue, or else the
capitalised words there ("currently at Tesco in Motherwell"); one capitalised word that English knows ("at Home",
"with Grace") only where the NER says it is an organisation. Text in lower case never holds one: a film review's
"works for anyone" is no employer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.path.casing import CAPITALS

_ROLE = (
    r"student|pupil|nurse|teacher|doctor|physician|engineer|intern|manager|analyst|developer|lecturer|professor|"
    r"researcher|volunteer|employee|cashier|consultant|accountant|trainee|apprentice|associate|fellow|resident"
)
_SCHOOL = (
    r"School|College|Academy|University|Primary|Nursery|Kindergarten|Montessori|Kita|Colegio|Escuela|École|Lycée|"
    r"Gymnasium|Scoil"
)
# Words that tie the organisation after them to a person: working or studying there, a role there, a degree from it,
# a child's school. In lower case (a capital only where a line or sentence starts): a headline's "Work With Students
# Across …" or "Leadership Role With Chips" ties nobody. Working "with" someone, a contract or a meeting, is no tie.
_CUES = (
    r"[Ww](?:orks?|orked|orking) (?:as an? [\w -]{1,30}? )?(?:at|for)|[Ww]ork (?:full-time|part-time) (?:at|for)"
    r"|(?:[Ee]mployed|[Hh]ired) (?:at|by|with)|[Ee]mployee (?:of|at)"
    r"|(?:[Cc]urrently|[Pp]reviously|[Ff]ormerly|[Nn]ow) (?:at|with|working at|working for|employed at|employed by)"
    r"|\d{1,2} (?:years?|yrs|months) (?:at|with)"
    r"|(?:[Jj]ob|[Rr]ole|[Pp]osition|[Pp]ost|[Ii]nternship|[Pp]lacement|[Cc]areer|[Ss]hift) at"
    rf"|(?:{_ROLE})s? at|(?:[Ss]tudy|[Ss]tudies|[Ss]tudied|[Ss]tudying|[Ee]nrolled|[Gg]raduated) (?:at|from)"
    r"|(?:[Dd]egree|MSc|BSc|BA|MA|MBA|PhD|[Dd]iploma|[Qq]ualification) (?:from|at)"
    rf"|(?:[Ss]tarts|[Ss]tarted|[Aa]ttends|[Aa]ttended|[Gg]oes to school|[Ww]ent to school) at(?= (?:the )?"
    rf"[^\n,.]{{0,40}}\b(?:{_SCHOOL})\b)"
    r"|[Jj]oining us from"
    r"|arbeite bei|arbeitet bei|werk bij|werkt bij|trabajo en|trabaja en|travaille chez|trabalho na|trabalho no|"
    r"lavoro presso|lavora presso|pracuję w"
)
# The text says who is affiliated: "it's Marissa from Clearwater Dental", "this is Officer Daniels from …".
_INTRODUCED = rf"(?:[Ii]t's|[Ii]t is|[Tt]his is|I'm|I am) (?:[{CAPITALS}][\w'’-]+ ){{1,3}}from"
# A form's field: "Employer: Boeing", "School: Scoil Mhuire".
_FIELD = r"(?m:^)[ \t]*(?i:employer|company|workplace|school|university|college|arbeitgeber|empresa|employeur)[ \t]*:"
# A signature's role and its organisation: "Senior Counsel, Mahindra Logistics", "HR Executive | Infosys".
_TITLE_WORD = (
    r"Manager|Officer|Executive|Lead|Counsel|Consultant|Analyst|Engineer|Director|Supervisor|Negotiator|Professor|"
    r"Solicitor|Coordinator|Co-ordinator|Assistant|Specialist|Administrator|Associate|Adviser|Advisor|Representative|"
    r"Receptionist|Reception|Recruiter|Partner|Handler|Clerk|Secretary|Nurse|Teacher|Principal|Founder|CEO|CFO|CTO|"
    r"President|Head of [A-Z][a-z]+|Team"
)
_SIGNED = rf"(?m:^)[ \t]*(?:[A-Z][\w&.-]* ){{0,4}}(?:{_TITLE_WORD})[ \t]*(?:,|\||–|—| - )"
_CUE = rf"(?:\b(?:{_CUES})|{_INTRODUCED}|{_FIELD}|{_SIGNED})[ \t]*(?:the[ \t]+)?"
_AFTER_CUE = re.compile(_CUE)
_BEFORE = re.compile(rf"{_CUE}\Z")
_LOOK_BACK = 80  # characters before an organisation that may hold its cue
_PARTICLE = r"of|de|du|la|le|des|del|der|für|and|&"
_WORD = rf"[{CAPITALS}](?:[\w&'’-]|\.(?=\w))*"  # a dot only within a word ("S.p.A"): "Swiggy. Ravi" is two
_ORGANISATION = re.compile(
    rf"(?!(?:ATMs?|POS|PIN|Home|Night|Nights|Weekends?|Present|Times?)\b)"  # a cash machine works at the ATM
    rf"{_WORD}(?: (?:{_WORD}|(?:{_PARTICLE})(?= [{CAPITALS}]\w)))*(?<!['’-])"
)


def is_affiliated(text: str, start: int) -> bool:
    """Whether the words just before `start` tie what starts there to a person."""
    return _ORGANISATION.match(text, start) is not None and (
        _BEFORE.search(text, max(0, start - _LOOK_BACK), start) is not None
    )


def find_affiliations(text: str, known: Callable[[str], bool] = lambda word: False) -> list[tuple[int, int]]:
    """Capitalised words right after an affiliation's cue; one word that English knows (`known`) is left to the NER."""
    spans = []
    for cue in _AFTER_CUE.finditer(text):
        found = _ORGANISATION.match(text, cue.end())
        if found is None:
            continue
        words = found.group().split()
        if len(words) > 1 or not known(words[0]):
            spans.append(found.span())
    return spans


def on_its_line(text: str, start: int, end: int) -> tuple[int, int]:
    """An NER organisation cut at its first line break: a form's "Employer: Boeing\nEthnicity: …" is one field."""
    line_end = text.find("\n", start, end)
    return (start, end if line_end == -1 else line_end)
