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
_NUMBER_WORD = rf"(?:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS}|{_UNITS})"
_AGE_NUMBER = rf"(?:1[01]\d|\d{{1,2}}|{_NUMBER_WORD})(?:\s?(?:and a half|½))?"
_RELATION = (
    r"(?:son|daughter|child|kid|boy|girl|baby|mother|mum|mom|father|dad|husband|wife|partner|brother|sister|"
    r"grandmother|grandma|grandfather|grandpa|granddaughter|grandson|mother-in-law|father-in-law|patient|"
    r"uncle|aunt|nephew|niece|friend|nan|nana|nanna|gran|granny|twins|kids|children|sons|daughters|boys|girls)"
)
# What may follow an age said with "is"/"'s"/"are": a stop, or a word that ends the clause ("and", "next week").
_AFTER_SAID = (
    r"(?=\s*(?:[.,;!?]|$|\s+(?i:and|but|now|today|next|this|last|in|on|soon|already|tomorrow|"
    r"yesterday)\b))"
)
# Where a context word is needed but is no part of the age, the age is the named group that matched (`value_*`).
AGE = re.compile(
    # "42 years old", "67 y/o", "19 yrs old", "a 42-year-old", "an 18-month-old", "ninety-one years of age"
    rf"\b{_AGE_NUMBER}(?:[- ](?:years?|yrs?)(?:[- ]old|\s+of\s+age)|\s?(?:y/o|y\.o\.|yo)|-(?:year|month|week)s?-old)"
    r"(?![\w/])"
    # "aged 42", "aged 6 and 9"
    rf"|\b[Aa]ged {_AGE_NUMBER}(?: and {_AGE_NUMBER})?\b"
    # "age: 42", "Age 58", "at the age of 76", "Child's age: 5": the number only
    rf"|\b(?i:age)(?:\s*:|\s+is|\s+of)?\s*(?P<value_age>{_AGE_NUMBER})\b"
    # "I'm 29", "I am 37", "I turned 30", "turning 25", "who is 84": a number alone after these, then a stop
    rf"|\b(?i:i'm|i am|im|turned|turning|turns|is now|who is|he is|she is|he's|she's) "
    rf"(?P<value_said>{_AGE_NUMBER})(?=\s*(?:[.,;!?]|$|\s+(?:and|but|now|on|in|this|next|last|today|yesterday|soon)\b))"
    # "my grandma is 101 and", "Aiyana, 14, was refused", "Emil, 8."
    # "my dad's 84 and", "my nan is ninety next week", "My twins are three.", "MY SON TOMÁS IS 15 AND"
    rf"|\b(?i:{_RELATION})(?: [A-ZÀ-ÖØ-Þ][\w'-]+)?(?i:'s| is| are) "
    rf"(?P<value_relation_is>{_AGE_NUMBER}(?: and {_AGE_NUMBER})?){_AFTER_SAID}"
    rf"|\b[A-ZÀ-ÖØ-Þ][\w'-]+, (?P<value_after_name>\d{{1,2}})(?=[,.;)](?!\d)|\s*$)"
    # "my daughter (16)", "Anneliese Hoffmann (68)", "(Indian, 31)"
    rf"|\b(?i:{_RELATION}) \((?P<value_relation>\d{{1,3}})\)"
    rf"|\b[A-ZÀ-ÖØ-Þ][\w'-]+ \((?P<value_named>\d{{1,3}})\)"
    rf"|\([A-Z][a-z]+, (?P<value_listed>\d{{1,3}})\)"
    # "in her 50s", "in our thirties", "in his early twenties"
    rf"|\bin (?:his|her|their|my|our|your) (?:early |late |mid-?)?(?:\d0s|twenties|thirties|forties|fifties|"
    rf"sixties|seventies|eighties|nineties)\b"
)
