"""The `occupation` group: a person's job title where the text ties it to them.

A job title beside a name or an employer narrows a person down as an employer does ("Poultry farmer" at a named
farm, "Metal caster" at a named foundry), so `pii` withholds it where the text says whose it is:
- a person working as it: "I used to work for Banknorth Group as Personnel consultant", "she works as a midwife"
  (the verb's own subject is a person: not "HAProxy, which works as a load balancer"), or being it, with a listed
  job's word: "I'm a staff nurse at Royal Derby Hospital", "my wife is a paediatric nurse" (not "I'm a big fan");
- an aside after a person's name before or after their words: "Chizue Senda, the Foot specialist, said", "said Dr.
  Helen Okoro, the lead cardiologist," (not "Paris, the capital, is", nor a company's part in a deal: "Morgan Stanley,
  the lead underwriter, said");
- a signature's or a CV's line under a person's name alone on its line, after a sign-off or over an organisation's,
  a contact's or a section's line ("Laura Walker\nAdministrative specialist\nAppFolio Inc."; not a job advert's
  "Hong Kong\nRegional Director\nSalary: competitive"), or between bars after the name ("Daniel Ortega | Account
  Executive | Brightline Media");
- a form's occupation or profession field ("Occupation: retired teacher", "Beruf: Krankenschwester"; not a
  placeholder's "Profession: Not applicable"), or its job title, position, role or designation field with a job's
  word where the form has a name's or a birth's field ("Role: Senior Data Analyst\nName: Chloe Martin"; not a job
  advert's "Job title: Warehouse Operative", a program's "role: worker", a game's "Position: Goalkeeper").
A title is one to six words whose last is a job's word: a listed one ("nurse", "clerk", "chef") or one made as jobs'
names are ("caster", "conductor", "dentist", "librarian"), not a thing so made ("number", "computer", "filter").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from core.path.affiliations import (
    DEPARTMENT_ENDINGS,
    LINE_MARK,
    PERSONS_NAME,
    SIGN_OFF_LINE,
    a_persons_name,
    named_as_organisation,
)
from core.path.casing import CAPITALS
from core.path.name_list import is_given_name

_JOB_WORDS_TEXT = """
nurse clerk chef cook midwife carer physician surgeon paramedic pilot guard porter nanny tutor coach host agent
executive representative assistant attendant consultant accountant technician mechanic medic analyst chemist
dentist pharmacist therapist scientist journalist receptionist specialist artist economist psychologist aide
chauffeur marshal mason sheriff bailiff maid valet butler
architect secretary president principal head lead officer director manager supervisor operative labourer laborer
cashier barista housekeeper steward stewardess waitress hostess actress engineer editor intern trainee apprentice
paralegal student lecturer professor teacher fellow associate partner founder owner adviser advisor planner inspector
surveyor auditor actuary librarian curator archivist musician producer presenter programmer developer designer
electrician plumber carpenter farmer driver cleaner worker vendor dispatcher conductor operator caster runner
animator administrator coordinator co-ordinator counsellor counselor solicitor lawyer attorney barrister judge
clergyman priest vicar pastor imam rabbi soldier sergeant lieutenant captain constable detective firefighter
ceo cfo cto coo vp gp rn hr
"""
_JOB_WORDS = frozenset(_JOB_WORDS_TEXT.split())
# Endings of jobs' names ("caster", "conductor", "dentist", "librarian") and the things so named that are no job.
_JOB_ENDING = re.compile(r"(?:er|or|ist|ian)$")
_NOT_JOBS_TEXT = """
number order letter paper other water computer matter manner chapter power border corner error floor door color
colour factor sector mirror honor honour favour favor whatever weather winter summer center centre filter layer
tower timer trigger wrapper container buffer cluster folder header footer banner poster flyer sticker charger
adapter printer scanner router monitor motor reactor sensor vector tensor major minor senior junior interior
exterior anchor elevator calculator indicator semester register character chamber answer dinner super never
ever however either neither together further rather whether after under over later sooner better bigger
smaller faster slower easier harder older younger newer
christian civilian indian italian canadian australian asian median guardian beginner member user customer
subscriber viewer reader follower balancer sponsor believer
"""
_NOT_JOBS = frozenset(_NOT_JOBS_TEXT.split())


def is_a_job(title: str) -> bool:
    """Whether a title of one to six words ends in a job's word (see the module's docstring)."""
    words = title.split()
    if not 1 <= len(words) <= 6:
        return False
    last = words[-1].lower()
    if last in _JOB_WORDS:
        return True
    return len(last) > 4 and _JOB_ENDING.search(last) is not None and last not in _NOT_JOBS and not _a_name(words)


def _a_name(words: list[str]) -> bool:
    """Whether two capitalised words are a listed given name and a surname: "Stefan Krüger" ends as a job's name does
    (not "Junior Copywriter": "Junior" is a given name too)."""
    return (
        len(words) == 2
        and all(word[:1].isupper() for word in words)
        and words[0].lower() not in ("junior", "senior")
        and is_given_name(words[0])
    )


# A title's words: letters, hyphens, "and"/"of"/"&" between them ("Education and training manager"); all of a line's
# or a field's, the fewest that end a sentence's.
_TITLE_WORDS = r"[A-Za-z][\w-]*(?: (?:and |of |& )?[A-Za-z][\w-]*){0,5}"
_TITLE = f"{_TITLE_WORDS}?"
# Where a title ends in a sentence: a mark or a word that starts what follows ("as Project manager, but quit").
_TITLE_END = r"(?=[ \t]*(?:[,.;:!?)\n]|$)| (?:but|and|at|for|in|with|since|until|from|before|after|when|while)\b)"
# People one's "my" names: "my husband works as", "her eldest son worked as" (not "My phone works as").
_KIN = (
    r"husband|wife|partner|son|daughter|mum|mom|mother|dad|father|brother|sister|friend|boyfriend|girlfriend|"
    r"fiancée?|colleague|boss|neighbou?r|cousin|uncle|aunt|grandma|grandpa|grandmother|grandfather|niece|nephew|"
    r"sibling|flatmate|roommate|landlord|landlady|tenant"
)
# The verb's own subject, just before it: a person's pronoun, "who", "my husband", a name ("Chiara Esposito worked
# as"); not "HAProxy, which works as", "the Raspberry Pi works as".
_SUBJECT = (
    rf"(?:\b(?:I|I'?ve|I’ve|I'm|[Hh]e|[Ss]he|[Ww]ho|(?:[Mm]y|[Hh]is|[Hh]er) (?:[a-z-]+ )?(?:{_KIN}))"
    rf"|(?P<named>\b[{CAPITALS}][a-zà-öø-ÿ]+ [{CAPITALS}][\w'’-]+))"
)
_AUXILIARIES = r"(?:(?:currently|now|still|also|previously|once|then|used to|have|has|had|was|were|am|is|always) )*"
_WORKS_AS = re.compile(
    rf"{_SUBJECT} {_AUXILIARIES}(?:work(?:s|ed|ing)?|employed|hired|serv(?:e|es|ed|ing)|start(?:s|ed))"
    rf"(?: (?:for|at|with|in|by) [^;!?\n]{{1,60}}?)? as (?:an? |the )?(?P<title>{_TITLE}){_TITLE_END}"
)
# A person saying what they are, or their relative is: "I'm a staff nurse at Royal Derby Hospital", "my wife is a
# paediatric nurse"; only a listed job's word ends it ("I'm a big fan", "he is a real character" are none).
_IS_A = re.compile(
    rf"\b(?:I'm|I’m|I am|(?:[Mm]y|[Hh]is|[Hh]er) (?:[a-z-]+ )?(?:{_KIN}) is|[Hh]e's|[Ss]he's|[Hh]e is|[Ss]he is) "
    rf"(?:a|an) (?P<title>{_TITLE}){_TITLE_END}"
)
_SPEECH = r"said|says|told|added|explained|wrote|noted|commented|confirmed|stated|recalls|recalled"
_ASIDE = re.compile(
    rf"(?P<who>{PERSONS_NAME}), (?:the|our|their|a|an) (?P<title>{_TITLE}), (?:{_SPEECH})\b"
    rf"|\b(?:{_SPEECH}) (?:(?:Dr|Mr|Mrs|Ms|Prof)\.? )?(?P<speaker>{PERSONS_NAME}), (?:the|our|their|a|an) "
    rf"(?P<speakers_title>{_TITLE})[,.;]"
)
# A signature's one line of name, role and company between bars: "Daniel Ortega | Account Executive | Brightline".
_PIPED = re.compile(rf"(?m:^)[ \t]*(?P<who>{PERSONS_NAME})[ \t]*\|[ \t]*(?P<title>{_TITLE_WORDS})[ \t]*\|")
# What a company or a thing is to a deal, a market or a machine, not a person's job: "Morgan Stanley, the lead
# underwriter, said", "She served as a sponsor for the bill".
_A_COMPANYS_PART_TEXT = """
manufacturer maker supplier provider retailer distributor lender insurer underwriter forwarder carrier publisher
broadcaster bookrunner arranger sponsor wholesaler exporter importer developer operator owner broker seller buyer
bidder acquirer investor shareholder creditor borrower issuer partner producer distiller refiner miner brewer bottler
chipmaker automaker carmaker drugmaker
"""
_A_COMPANYS_PART = frozenset(_A_COMPANYS_PART_TEXT.split())
_UNDER_A_NAME = re.compile(
    rf"(?m:^){LINE_MARK}(?P<who>{PERSONS_NAME})[ \t]*\n(?:[ \t]*\n)?{LINE_MARK}"
    rf"(?P<title>(?=[{CAPITALS}]){_TITLE_WORDS})[ \t]*(?=\n|$)(?:\n(?:[ \t]*\n)?(?P<next>[^\n]*))?"
)
_SIGNED_OFF = re.compile(rf"(?:{SIGN_OFF_LINE}|--[ \t]*\n[ \t]*)\Z")  # a sign-off or a signature's "-- " line
_FIELD = re.compile(
    r"(?m:^)[ \t]*(?:(?P<occupation>(?i:occupation|profession|beruf|profesión|profissão|métier|zawód|meslek))"
    r"|(?i:job title|position|role|designation))[ \t]*:[ \t]*"
    rf"(?P<title>{_TITLE_WORDS})[ \t]*(?=\n|$)"
)
# A form that is a person's: a field of their name or birth ("Name:", "DOB:"; not a job advert's "Job title:").
_A_PERSONS_FORM = re.compile(
    r"(?im:^[ \t]*(?:full |first |last |sur|given |family |maiden )?(?:name|nome|nombre|vorname|nachname|prénom|nom|"
    r"imię|nazwisko|date of birth|dob|geburtsdatum|born)[ \t]*:)"
)
# Values a form holds where no title was given.
_NO_TITLE_TEXT = "unknown na none applicable optional freiwillig angabe tbd tba other keine sonstige"
_NO_TITLE = frozenset(_NO_TITLE_TEXT.split())


# A title's words after an "and" that ended it too soon: "as Maintenance and repair worker, but quit".
_AND_MORE = re.compile(rf" and (?P<more>{_TITLE}){_TITLE_END}")


def _with_its_and(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A title's span, carried over an "and" where the title before it is no job and the words after it end as one's."""
    if is_a_job(text[span[0] : span[1]]):
        return span
    more = _AND_MORE.match(text, span[1])
    return (span[0], more.end("more")) if more is not None else span


def _a_persons_job(title: str) -> bool:
    """A job's title that is not a company's part in a deal or a market (an aside's "the lead underwriter")."""
    return is_a_job(title) and title.split()[-1].lower() not in _A_COMPANYS_PART


def _a_title_line(text: str, found: re.Match[str], known: Callable[[str], bool]) -> bool:
    """Whether a title's line under a name line is a signature's or a CV's: after a sign-off, or over an
    organisation's, a contact's or a section's line ("Laura Walker\nAdministrative specialist\nAppFolio Inc.";
    not a job advert's "Hong Kong\nRegional Director\nSalary: competitive", a film's credits)."""
    who = found.group("who")
    if _SIGNED_OFF.search(text, max(0, found.start() - 40), found.start()) is not None:
        # after a sign-off any name's shape is a person's but a department's or a company's ("Regards,\nRaj
        # Patel\nHousing Officer"; not "Regards,\nCustomer Service\nSupport Manager")
        words = who.split()
        return not named_as_organisation(words) and not any(w.lower().endswith(DEPARTMENT_ENDINGS) for w in words)
    if not _a_name_with_a_word_english_lacks(who, known):
        return False
    after = (found.group("next") or "").strip()
    words = after.rstrip(".").split()
    return (
        any(named_as_organisation(words[: count + 1]) for count in range(len(words)))  # "… REIT Inc. Series A stock"
        or "@" in after
        or sum(ch.isdigit() for ch in after) >= 6  # a phone's line, not a credit's "from the 1982 album"
        or after.endswith(":")
    )


def _a_name_with_a_word_english_lacks(name: str, known: Callable[[str], bool]) -> bool:
    """A person's name (`a_persons_name`), or one with a word English lacks ("Amar Uenk", "Aleesha Alexander"):
    where a job's title and a signature's lines or an aside's speech say a person is meant, that is enough."""
    return a_persons_name(name, known) or not all(map(known, name.split()))


def _titles(text: str, known: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    for found in _WORKS_AS.finditer(text):
        named = found.group("named")
        title = _with_its_and(text, found.span("title"))
        if is_a_job(text[title[0] : title[1]]) and (named is None or a_persons_name(named, known)):
            yield title
    for found in _ASIDE.finditer(text):
        title, who = ("title", "who") if found.group("title") is not None else ("speakers_title", "speaker")
        # a one-word title needs a listed given name: "Downton Abbey, the Butler, said" is a film's character
        named = a_persons_name if " " not in found.group(title) else _a_name_with_a_word_english_lacks
        if _a_persons_job(found.group(title)) and named(found.group(who), known):
            yield found.span(title)
    for found in _IS_A.finditer(text):
        if found.group("title").split()[-1].lower() in _JOB_WORDS:
            yield found.span("title")
    for found in _PIPED.finditer(text):
        if is_a_job(found.group("title")) and a_persons_name(found.group("who"), known):
            yield found.span("title")
    for found in _UNDER_A_NAME.finditer(text):
        if is_a_job(found.group("title")) and _a_title_line(text, found, known):
            yield found.span("title")
    for found in _FIELD.finditer(text):
        if any(word in _NO_TITLE for word in found.group("title").lower().split()):
            continue
        # a post's field only in a person's form and with a job's word: a job advert's "Job title:", a program's
        # "role: worker" and a game's "Position: Goalkeeper" are none
        if found.group("occupation") is not None or (_A_PERSONS_FORM.search(text) and is_a_job(found.group("title"))):
            yield found.span("title")


def find_occupations(text: str, known: Callable[[str], bool] = lambda word: False) -> list[tuple[int, int]]:
    """A person's job titles (see the module's docstring); `known` says which words English knows."""
    return list(dict.fromkeys(_titles(text, known)))
