"""The `age` group: a person's age as people write it ("42 years old", "aged 42", "a 42-year-old", "age: 42").

A bare number is never an age by itself: each form needs the words that make it one (years old, aged, age:, y/o,
I'm/turned/turning before it, a relation or name with the number in brackets after it). Number words up to 99
count where a digit would ("ninety-one years old", "turning sixteen").
"""

from __future__ import annotations

import re

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_NUMBER_WORD = rf"(?i:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS}|{_UNITS})"
_AGE_NUMBER = rf"(?:1[01]\d|\d{{1,2}}|{_NUMBER_WORD})(?:\s?(?i:and a half|½))?"
_RELATION = (
    r"(?:son|daughter|child|kid|boy|girl|baby|mother|mum|mom|father|dad|husband|wife|partner|brother|sister|"
    r"grandmother|grandma|grandfather|grandpa|granddaughter|grandson|mother-in-law|father-in-law|patient|"
    r"uncle|aunt|nephew|niece|friend|nan|nana|nanna|gran|granny|twins|kids|children|sons|daughters|boys|girls)"
)
# People a text may give the age of, by role ("The caller is 81"), and capitalised words that are no person.
_PERSON_WORD = (
    r"customer|client|claimant|patient|applicant|passenger|caller|member|tenant|resident|victim|guest|user|"
    r"traveller|traveler|man|woman|lady|gentleman|driver|student|pupil|child|kid|baby|boy|girl|owner|holder"
)
_NOT_A_PERSON = (
    r"(?:It|This|That|There|Here|What|Which|Who|Everything|Nothing|Total|Price|Score|Rating|Room|Gate|Order|Page|"
    r"Chapter|Episode|Season|Version|Level|Size|Number|Temperature|Distance|Time|Weight|Height|Length)"
)
_SEXED_AGE = r"(?P<value_sexed>(?:1[3-9]|[2-9]\d)[MF])"  # "27M": 13-99, so that "5M" (five million) stays
# What may follow an age said with "is"/"'s"/"are": a stop, or a word that ends the clause ("and", "next week").
_AFTER_SAID = (
    r"(?=\s*(?:[.,;!?]|$|\s+(?i:and|but|now|today|next|this|last|in|on|soon|already|tomorrow|"
    r"yesterday)\b))"
)
# Where a context word is needed but is no part of the age, the age is the named group that matched (`value_*`).
AGE = re.compile(
    # "42 years old", "67 y/o", "19 yrs old", "a 42-year-old", "an 18-month-old", "ninety-one years of age"
    rf"\b{_AGE_NUMBER}(?i:[- ](?:years?|yrs?|months?|weeks?)(?:[- ]old|\s+of\s+age)|\s?(?:y/o|y\.o\.|yo)"
    r"|-(?:year|month|week)s?-old)"
    r"(?![\w/])"
    # "aged 42", "aged 6 and 9"
    rf"|\b[Aa]ged {_AGE_NUMBER}(?: and {_AGE_NUMBER})?\b"
    # "age: 42", "Age 58", "at the age of 76", "Child's age: 5": the number only
    rf"|\b(?i:age)(?:\s*:|\s+is|\s+of)?\s*(?P<value_age>{_AGE_NUMBER})\b"
    # "I'm 29", "I am 37", "I turned 30", "turning 25", "who is 84": a number alone after these, then a stop
    rf"|\b(?i:i'm|i am|im|turned|turning|turns|is now|who is|he is|she is|he's|she's|i was|he was|she was) "
    rf"(?P<value_said>{_AGE_NUMBER}){_AFTER_SAID}"
    # "The caller is 81 and", "Ingeborg is 88 and", "The tenant is twenty-two,": a person word or a name
    rf"|\b(?:(?i:{_PERSON_WORD})|(?!{_NOT_A_PERSON}\b)[A-ZÀ-ÖØ-Þ][\w'-]+) (?i:is|'s) "
    rf"(?:(?i:only|just|now|nearly|almost|about) )?(?P<value_person_is>{_AGE_NUMBER}){_AFTER_SAID}"
    # a sex and an age: "F, 52", "(M, 38)", "27M", "41F", "Abena Owusu, 58 F,"
    rf"|(?:^|(?<=[\s(,]))[MF], (?P<value_sex_first>\d{{1,3}})\b(?![.,]\d)"
    rf"|(?:^|(?<=\n)|(?<=\()|(?<=; )|(?<=: )|(?<=I'm )|(?<=I am )){_SEXED_AGE}\b(?![\w'])"
    rf"|(?<=, )(?P<value_sex_after>\d{{1,3}}) [MF]\b(?=[,.;)]|$)"
    # a field or a unit of another language: "Edad: 19", "Alter des Kindes: 9", "Âge : 28", "Er ist 45 Jahre alt",
    # "34 años", "70 ans"
    rf"|\b(?i:age|edad|alter|âge|leeftijd|età|idade|wiek|ålder|alder|ikä|yaş)(?: [\w']+){{0,3}}?\s*:\s*"
    rf"(?P<value_field>{_AGE_NUMBER})\b"
    rf"|\b(?P<value_unit>\d{{1,3}}) (?:ans|años|anos|Jahre|jaar|anni|lat|år|vuotta)\b"
    # "my grandma is 101 and", "Aiyana, 14, was refused", "Emil, 8."
    # "my dad's 84 and", "my nan is ninety next week", "My twins are three.", "MY SON TOMÁS IS 15 AND"
    rf"|\b(?i:{_RELATION})(?: [A-ZÀ-ÖØ-Þ][\w'-]+)?(?i:'s| is| are) "
    rf"(?P<value_relation_is>{_AGE_NUMBER}(?: and {_AGE_NUMBER})?){_AFTER_SAID}"
    rf"|\b[A-ZÀ-ÖØ-Þ][\w'-]+, (?P<value_after_name>\d{{1,2}})(?=[,.;)](?!\d)|\s*$)"
    # "my daughter (16)", "Anneliese Hoffmann (68)", "(Indian, 31)"
    rf"|\b(?i:{_RELATION}) \((?P<value_relation>\d{{1,3}}|{_NUMBER_WORD})\)"
    rf"|\b[A-ZÀ-ÖØ-Þ][\w'-]+ \((?P<value_named>\d{{1,3}})\)"
    rf"|\([A-Z][a-z]+, (?P<value_listed>\d{{1,3}})\)"
    # "in her 50s", "in our thirties", "in his early twenties"
    rf"|\bin (?:his|her|their|my|our|your) (?:early |late |mid-?)?(?:\d0s|twenties|thirties|forties|fifties|"
    rf"sixties|seventies|eighties|nineties)\b"
)
