"""The `age` group: a person's age as people write it ("42 years old", "aged 42", "a 42-year-old", "age: 42").

A bare number is never an age by itself: each form needs the words that make it one (years old, aged, a field name
such as "Age:" or "Edad:", a unit such as "ans" or "Jahre", I'm/turned/turning before it, a person or relation said to
be it, a sex beside it, a name with the number in brackets after it, a birthday after an ordinal). Number words up to
99 count where a digit would ("ninety-one years old", "turning sixteen"), and so do rough ages ("late 40s",
"40-something", "approx. 50") where a cue says an age is meant. The cue words come in several languages. Where a
form could also be the age of a thing ("a 10-year-old bug", "the laptop is 3 years old") or a span of time ("vor 3
Jahren", "3 años de garantía"), `NOT_AN_AGE` names the thing or the time, and a match that overlaps it is dropped.
"""

from __future__ import annotations

import re

from core.path.dates import DATE
from core.path.name_list import first_names, given_names, surnames

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# Tens of Spanish, Portuguese, Italian, French and German ("tiene setenta", "Alter: achtzig")
_FOREIGN_TENS = (
    "veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|vinte|trinta|quarenta|oitenta|venti|trenta|"
    "quaranta|cinquanta|sessanta|settanta|ottanta|novanta|vingt|trente|quarante|cinquante|soixante|soixante-dix|"
    "quatre-vingts?|quatre-vingt-dix|zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig|twintig|"
    "dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|tjugo|trettio|fyrtio|femtio|sextio|sjuttio|åttio|nittio"
)
_NUMBER_WORD = rf"(?i:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS}|{_UNITS}|{_FOREIGN_TENS})"
_AGE_NUMBER = rf"(?:1[01]\d|\d{{1,2}}|{_NUMBER_WORD})(?:\s?(?i:and a half|½))?"
_DECADE = r"(?i:[2-9]0s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)"
# "late 40s", "mid-30s", "early twenties", "40-something", "fortysomething", "30ish"
_ROUGH = rf"(?i:(?:early|mid|late)[- ]?{_DECADE}|(?:[1-9]0|{_TENS})[- ]?(?:something|ish))"
# Years in the languages whose field names follow; "Jahre alt", "jaar oud", "years old" are taken whole.
_YEARS = (
    r"(?i:years?(?: old)?|yrs?\.?(?: old)?|y\.?o\.?|Jahren?(?: alt)?|J\.|ans|años|anos|jaar(?: oud)?|anni|ani|lat|let|"
    r"år(?: gammal| gammel)?|vuotta|éves|év|yaşında|yaş|tahun|tuổi|saal|lata|let|l\.|roků|лет|года|год|"
    r"months?(?: old)?|mos?\.|weeks?(?: old)?|wks?\.?|Monate?n?|mois|meses|mesi|maanden|miesięcy|månader)"
)
_WORD_AND = r"(?:and|&|y|und|et|e|og|och|i|en)"
# An age after a cue: a number, a list of them ("34, 36 and 7"), or a rough age; a qualifier before it ("about 70")
# and years after it ("67 Jahre") are part of it.
_QUALIFIER = (
    r"(?i:only|just|nearly|almost|about|around|approx\.?|approximately|roughly|circa|ca\.|c\.|over|under|barely|"
    r"already|still|now|both|~)"
)
_AGE_VALUE = (
    rf"(?:{_QUALIFIER}\s?)?(?:{_ROUGH}|{_AGE_NUMBER}(?:, (?:1[01]\d|\d{{1,2}})\b(?![.,]\d|\s?(?:cm|kg|lbs?|m)\b))*"
    rf"(?: {_WORD_AND} {_AGE_NUMBER})?)"
    rf"(?:\s?{_YEARS}(?![\w-]))?"
)
# An age between commas after a name or a role ("Amara, twenty-nine,", "Elderly man, approx 85,", "REID, 71 YRS,")
_BETWEEN_COMMAS = rf"(?:{_QUALIFIER}\s?)?(?:1[01]\d|\d{{1,2}}|{_NUMBER_WORD})(?:\s?{_YEARS})?"
_IN_BRACKETS = rf"(?:\d{{1,3}}\+?|{_NUMBER_WORD})"
_RELATION = (
    r"(?:son|daughter|child|kid|boy|girl|baby|mother|mum|mom|father|dad|husband|wife|partner|brother|sister|"
    r"grandmother|grandma|grandfather|grandpa|granddaughter|grandson|mother-in-law|father-in-law|patient|"
    r"uncle|aunt|nephew|niece|friend|nan|nana|nanna|gran|granny|twins|kids|children|sons|daughters|boys|girls|"
    r"cousin|neighbour|neighbor|colleague|roommate|flatmate|boyfriend|girlfriend|fiancée?|stepson|stepdaughter|"
    r"grandchild|grandkid|toddler|teenager|infant|newborn|godson|goddaughter|relative|pensioner|senior|retiree|"
    r"widow|widower)"
)
# People a text may give the age of, by role ("The caller is 81"), and capitalised words that are no person.
_PERSON_WORD = (
    r"customer|client|claimant|patient|applicant|passenger|caller|member|tenant|resident|victim|guest|user|"
    r"traveller|traveler|man|woman|lady|gentleman|driver|student|pupil|child|kid|baby|boy|girl|owner|holder|pt|"
    r"person|subject|participant|employee|worker|candidate|buyer|seller|sender|recipient|insured|policyholder|"
    r"adults?|people|persons|pax|me|myself|guests|passengers|travellers|occupants|members|cliente|paciente|kunde|"
    r"kundin|klient|klientka|patientin|passager|passagère"
)
_NOT_A_PERSON = (
    r"(?:It|This|That|There|Here|What|Which|Who|Everything|Nothing|Total|Price|Score|Rating|Room|Gate|Order|Page|"
    r"Chapter|Episode|Season|Version|Level|Size|Number|Temperature|Distance|Time|Weight|Height|Length|Windows|Office|"
    r"Verse|Part|Step|Phase|Section|Table|Figure|Line|Row|Seat|Platform|Terminal|Floor|Unit|Apt|Flat|Box|Lot|Block|"
    r"Route|Bus|Flight|Track|Item|Question|Round|Stage|Week|Day|Year|Month|Grade|Class|Group|Team|Zone|Area|Door|"
    r"Bay|Lane|Exit|Ward|Bed|Case|Ticket|Invoice|Issue|Release|Build|Model|Series|Type|Volume|Vol|Book|Act|Scene|"
    r"Article|Paragraph|Rule|Note|Slide|Game|Match|Set|Lap|Court|Hole|No|Nr|Tab|Column|Rank|Top|Pro|Max|Mini|Gen|"
    r"Mark|Mk|Star|Wars|Trek|Iron|Man|Toy|Story|Fast|Furious|Rocky|Saw|Scream|Halloween|Final|Fantasy|Call|Duty|"
    r"Plot|Sector|House|Road|Street|Avenue|Suite|Tower|Wing|Gali|Nagar|Colony|Survey|Highway|Hwy|Pier|Dock|Hall|Lab|"
    r"Studio|Shop|Counter|Desk|Channel|Region|District|Haus|Stock|Etage|Wohnung|Zimmer|Km|Mile)"
)
_SEX = r"(?:[MF]|(?i:male|female|masculino|femenino|masculin|féminin|männlich|weiblich|hombre|mujer|homme|femme))"
_SEXED_AGE = r"(?P<value_sexed>(?:1[3-9]|[2-9]\d)[MF])"  # "27M": 13-99, so that "5M" (five million) stays
# What may follow an age said with a verb: a stop, or a word that ends the clause ("and", "next week", "ayer").
_AFTER_SAID = (
    r"(?=\s*(?:[.,;!?)]|$|\s+(?i:and|but|now|today|next|this|last|in|on|soon|already|tomorrow|yesterday|so|"
    r"because|since|when|who|with|yet|i|maybe|perhaps|probably|or|"
    r"y|und|et|e|og|och|ja|ayer|hoy|heute|gestern|morgen|demain|hier|oggi|ieri|domani|igår|idag|im|en|el|la)\b))"
)
# Field names for an age in several languages; those that are also words of English ("alter", "alder", "eta")
# need a colon after them.
_FIELD_BARE = (
    r"age|edad|edat|âge|leeftijd|idade|wiek|ålder|aldur|ikä|yaş|věk|vek|vârsta|vârstă|varsta|umur|usia|"
    r"életkor|tuổi|возраст|ηλικία|amžius|vecums|vanus|lebensalter|年齢|年龄|나이|العمر|גיל|อายุ|आयु|उम्र"
)
_FIELD_COLON = r"ages|alter|alder|età|eta|starost|umri|kor|umar|umr|umra|edat"
# "turned 30", "cumplí 40", "wird 80", "fyller 50": verbs of turning an age, in several languages.
_TURN = (
    r"turned|turning|turns|is now|(?:he|she|i|you|they|who)(?: will|'ll) (?:be|turn)|cumplí|cumple|cumplió|cumplirá|"
    r"cumplo|wird|wurde|"
    r"fyller|fyllde|fylde|täyttää|täytti|compie|compirà|ha compiuto|completa|completou|fez|fará|wordt|werd|"
    r"skończył|skończyła|kończy|fête ses|fêtera ses"
)
_ORDINAL_WORD = (
    r"(?i:(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-?)?(?:first|second|third|fourth|fifth|"
    r"sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|\w+teenth|\w+tieth)"
)
_BIRTHDAY = r"(?i:birthday|bday|b-day|geburtstag|anniversaire|cumpleaños|compleanno|verjaardag|urodziny|födelsedag)"
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'-]+"
# Where a context word is needed but is no part of the age, the age is the named group that matched (`value_*`).
AGE = re.compile(
    # "42 years old", "67 y/o", "19 yrs old", "a 42-year-old", "an 18-month-old", "ninety-one years of age"
    rf"\b{_AGE_NUMBER}(?i:[- ]?(?:years?|yrs?|months?|weeks?)(?:[- ]old|\s+(?:of\s+age|young))|\s?(?:y/o|y\.o\.|yo)"
    r"|-(?:year|month|week)s?-old)"
    r"(?![\w/])"
    # "a 45-jährige", "48-vuotias", "en 7-åring"
    rf"|\b\d{{1,3}}-?(?i:jährige[rnms]?|jährig|åring|årig|vuotias|летн\w+)\b"
    # "aged 42", "aged 6 and 9", "AGED 91", "âgée de 72 ans", "im Alter von 80"
    rf"|\b(?P<value_aged>(?i:aged|âgée?s? de|agée?s? de|im alter von|a la edad de|all'età di|com a idade de)\s?:?\s?"
    rf"{_AGE_VALUE})\b"
    # a field: "age: 42", "Age 58", "at the age of 76", "Child's age: 5", "Edad: 19", "Alter des Kindes: 9",
    # "Âge : 39 ans", "ålder 27", "Ages: 34, 36 and 7", "Age: approx. 50", "Age: 40 something"
    rf"|\b(?i:{_FIELD_BARE})(?:\s*[:=：]|\s+[-–—]|\s+is|\s+of|(?: [\w'()]+){{1,3}}?\s*[:=：])?\s*"
    rf"(?P<value_age>{_AGE_VALUE}|(?i:[1-9]0 something))(?![\w+-])"
    rf"|\b(?i:{_FIELD_COLON})(?: [\w']+){{0,3}}?\s*[:=：]\s*(?P<value_field>{_AGE_VALUE})(?![\w+-])"
    # "my kids, ages 5 and 8"
    rf"|\b(?i:ages) (?P<value_ages>{_AGE_NUMBER}(?:, \d{{1,2}})*(?: and {_AGE_NUMBER}))\b(?! and up| and over)"
    # "I'm 29", "I am 37", "I turned 30", "turning 25", "who is 84", "She's only nineteen", "I'm retired, 72,"
    rf"|\b(?i:i'm|i am|im|{_TURN}|who is|who's|he is|she is|he's|she's|i was|he was|she was|ich bin|er ist|sie ist|"
    rf"ik ben|hij is|ze is|zij is|jag är|han är|hon är|jeg er|han er|hun er|olen|hän on|jestem|soy|tengo|tiene|"
    rf"tenía|sono|tenho|tem|j'ai|il a|elle a)"
    rf"(?: [a-z]+,)? (?P<value_said>{_AGE_VALUE}){_AFTER_SAID}"
    # "The caller is 81 and", "Ingeborg is 88 and", "The tenant is twenty-two,", "customer is late 40s,"
    rf"|\b(?:(?i:{_PERSON_WORD})|(?!{_NOT_A_PERSON}\b){_NAME}) (?i:is|'s|was) "
    rf"(?P<value_person_is>{_AGE_VALUE}){_AFTER_SAID}"
    # a sex and an age: "F, 52", "(M, 38)", "27M", "41F", "Abena Owusu, 58 F,", "male, 52", "F/29", "63/M",
    # "(34, M)"
    rf"|(?:^|(?<=[\s(,]))[MF], (?P<value_sex_first>\d{{1,3}})\b(?![.,]\d)"
    rf"|\b(?i:male|female|masculino|femenino|masculin|féminin|männlich|weiblich|hombre|mujer|homme|femme),? "
    rf"(?P<value_sex_word>{_AGE_VALUE})(?=[,.;)]|\s*$)"
    rf"|(?<![\w/])[MF]/(?P<value_sex_slash>\d{{1,3}})\b(?![/.]\d)"
    rf"|(?<![\w/])(?P<value_slash_sex>\d{{1,3}})/[MF]\b(?!/)"
    rf"|\((?P<value_bracket_sex>\d{{1,3}}),\s?{_SEX}\)"
    rf"|(?:^|(?<=\n)|(?<=\()|(?<=; )|(?<=: )|(?<=I'm )|(?<=I am )){_SEXED_AGE}\b(?![\w'])"
    rf"|(?<=, )(?P<value_sexed_lower>(?:1[3-9]|[2-9]\d)[mfMF])(?=[,.;)]|\s*$)"
    rf"|(?<=, )(?P<value_sex_after>\d{{1,3}}),? (?:[MF]|(?i:male|female))\b(?=[,.;)]|$)"
    rf"|(?:^|(?<=\n))[MF] (?P<value_sex_space>\d{{1,3}})(?=[,.;]|\s*$)"
    # a unit of another language: "34 años", "70 ans", "Er ist 45 Jahre alt", "ho 25 anni", "Marta Nowak (52 J.)"
    rf"|\b(?P<value_unit>\d{{1,3}} (?:ans|años|anos|Jahre(?: alt)?|jaar(?: oud)?|anni|ani|lat|år|vuotta|éves|"
    rf"yaşında|yaş|tuổi|saal|лет))(?![\w-])|\b(?P<value_cjk>\d{{1,3}}\s?(?:歳|岁|才|세|살))"
    rf"|\((?P<value_bracket_unit>\d{{1,3}}\s?(?:J\.|j\.|y\.?|yrs?\.?|a\.|Jahre|ans|años|anos|anni))\)"
    # "my grandma is 101 and", "Aiyana, 14, was refused", "Emil, 8."
    # "my dad's 84 and", "my nan is ninety next week", "My twins are three.", "MY SON TOMÁS IS 15 AND",
    # "my husband will be 60 next month", "my neighbour is 78,"
    rf"|\b(?i:{_RELATION})(?: {_NAME})?(?i:'s| is| are| was| will be| 'll be| turns| turned) "
    rf"(?P<value_relation_is>{_AGE_VALUE}){_AFTER_SAID}"
    rf"|\b{_NAME}, (?P<value_after_name>{_BETWEEN_COMMAS})(?=[,;)]|\.(?!\s?\d)|\s*$)"
    # "the pensioner, 81, was", "my son, 18 months, has", "second child 18 months"
    rf"|\b(?i:{_RELATION}|{_PERSON_WORD}), (?P<value_after_role>{_BETWEEN_COMMAS})(?=[,;)]|\.(?!\s?\d)|\s*$)"
    rf"|\b(?i:{_RELATION}),? (?P<value_role_months>\d{{1,2}} (?i:months?|weeks?)(?: old)?)\b"
    # "DOB: 12/03/1990 (34)"
    # "Passenger list: Jan Novák 45, Eva Nováková 43", "Guests: Anna 34, Ben 36": a name and a number, twice or more
    rf"|\b(?!{_NOT_A_PERSON}\b){_NAME}(?: {_NAME})? (?P<value_name_list>\d{{1,2}}(?:(?:[,;]| and) "
    rf"(?!{_NOT_A_PERSON}\b){_NAME}(?: {_NAME})? \d{{1,2}})+)\b(?![.,]?\d)"
    # "my daughter (16)", "Anneliese Hoffmann (68)", "(Indian, 31)"
    rf"|\b(?i:{_RELATION}|{_PERSON_WORD}) \((?P<value_relation>{_IN_BRACKETS}(?:(?:, | and ){_IN_BRACKETS})*)"
    rf"(?: now)?\)"
    rf"|\b{_NAME} \((?P<value_named>{_IN_BRACKETS})(?: now)?\)"
    # "my son who is 9 got a phone": after "who is" any word but a unit ("who is 5 minutes away")
    rf"|\b(?i:who is|who's|who turned|who turns) (?P<value_who_is>{_AGE_NUMBER})"
    rf"(?= (?!(?i:minutes?|mins?|hours?|hrs?|days?|weeks?|km|miles?|metres?|meters?|feet|ft|cm|kg|lbs?|pounds?|"
    rf"euros?|dollars?|points?|percent|times|steps|blocks|stops|floors?)\b)[a-z]+)"
    # Polish "lat" before the number: "Ewa lat 34,", "Pacjent lat 58,"
    rf"|\b{_NAME} lat (?P<value_lat>\d{{1,3}})(?=[,;)]|\.(?!\d)|\s*$)"
    # "(Jg. 1958, 66)", "Name/Age: Jonas Petraitis / 29"
    # (a year of birth before it is a date: the look-behind keeps it out of the match)
    rf"|(?<=[12]\d{{3}}, )(?P<value_year_then_age>\d{{1,2}})(?=\))"
    rf"|(?<=[12]\d{{3}} )\((?P<value_year_bracket>\d{{1,2}})(?: now| today| this year)?\)"
    rf"|\b(?i:name)\s?/\s?(?i:age)\s?:[^\n/]{{1,60}}/\s?(?P<value_name_age>\d{{1,3}})\b"
    rf"|\([A-Z][a-z]+, (?P<value_listed>\d{{1,3}})\)"
    # "a boy of twelve", "a woman of about 70"
    rf"|\b(?i:boy|girl|man|woman|lady|gentleman|child|kid|son|daughter|patient|person) of "
    rf"(?P<value_of>(?:{_QUALIFIER} )?{_AGE_NUMBER})(?![\w%-]|\s?(?:kg|cm|m|%))"
    # "her 80th birthday", "my son's 18th birthday", "seinen 80. Geburtstag"
    rf"|\b(?P<value_birthday>\d{{1,3}}(?:st|nd|rd|th|\.)|{_ORDINAL_WORD}) {_BIRTHDAY}"
    # "infant, 11 months", "baby 6 weeks"
    rf"|\b(?i:infant|baby|newborn|toddler)\b,? (?P<value_infant>\d{{1,2}} (?i:months?|weeks?|days?))\b"
    # "a retired teacher, seventy this year"
    rf"|(?<=, )(?P<value_this_year>{_AGE_NUMBER})(?= this year\b)"
    # "in her 50s", "in our thirties", "in his early twenties"; "late 40s", "mid-30s", "a 30-something teacher"
    rf"|\bin (?:his|her|their|my|our|your) (?:(?:early|late|mid)[- ]?)?(?:\d0s|twenties|thirties|forties|fifties|"
    rf"sixties|seventies|eighties|nineties)\b"
    rf"|(?<!the )(?<!The )(?<!THE )(?<!'s )(?<![\w-])(?i:(?:early|mid|late)[- ]?{_DECADE}"
    rf"|(?:[1-9]0|{_TENS})(?:-|)something)(?![\w-])"
)
# The age of a thing ("a 10-year-old bug", "the laptop is 3 years old"), a span of time ("vor 3 Jahren", "3 años de
# garantía"), or a date ("Donnerstag, 14. November"): an age match overlapping one of these is dropped.
_THING = (
    r"(?:bug|bugs|issue|car|cars|laptop|computer|pc|phone|house|home|flat|building|roof|boiler|tree|wine|whisky|"
    r"whiskey|scotch|product|item|machine|device|model|account|company|business|firm|brand|code|codebase|problem|"
    r"tradition|recipe|film|movie|book|song|record|system|software|app|version|router|printer|tv|bike|sofa|mattress|"
    r"fridge|washer|dryer|battery|tyres?|tires?|unit|package|parcel|ticket|post|thread|email|message|question|"
    r"debate|mystery|case|law|contract|policy|subscription|card|dog|cat|puppy|kitten|horse|pet|bird|fish)"
)
NOT_AN_AGE = re.compile(
    rf"\b{_AGE_NUMBER}[- ](?i:years?|months?|weeks?)[- ](?i:old) (?:{_THING})\b"
    rf"|\b(?i:it|this|that|the {_THING}|my {_THING}|our {_THING}|your {_THING}|{_THING})(?i:'s| is| was| are| were)"
    rf" (?:(?:only|just|nearly|almost|about|over|now) )?{_AGE_NUMBER}[- ](?i:years?|months?|weeks?)"
    rf"|\b(?i:hace|vor|seit|depuis|dans|pendant|durante|desde|por|para|per|für|há|em|za|od|po|om|sedan|selama|"
    rf"since|for|in|within|after|tra|fra|il y a) (?:\w+ )?\d{{1,3}} (?i:años|anos|ans|Jahren?|jaar|anni|ani|lat|år|"
    rf"vuotta|tahun)\b"
    rf"|\b\d{{1,3}} (?i:años|anos|ans|Jahren?|jaar|anni|ani|lat|år|vuotta|tahun) (?i:de garant\w*|di garanzia|"
    rf"Garantie|de garantie|ago|fa|geleden|sitten|temu|atrás|später|plus tard|más tarde|depois|dopo|later|lang|"
    rf"long)\b"
    rf"|{DATE.pattern}"
)
# Every form of AGE holds a number (digits, a number word, a decade or an ordinal) and one of these cues: the (much
# longer) AGE pattern runs only on a text that has both. (tests/path/test_groups_forms.py checks every form's example
# passes.)
AGE_PREFILTER = re.compile(
    r"^(?=[\s\S]*?(?:\d|(?i:te(?:en|enth|ieth)\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    rf"{_FOREIGN_TENS})"
    r"\b)))"
    r"(?=[\s\S]*?(?:(?i:year|yrs?\b|y/o|yo\b|y\.o\.|month|week|\bage|i'm|i am|\bim\b|turn|is now|is |'s |are |"
    r"he's|she's|\(|, |in (?:his|her|their|my|our|your) |was |of |/|something|ish\b|\d0s|be |infant|baby|newborn|"
    rf"toddler|this year|{_FIELD_BARE}|{_FIELD_COLON}|{_TURN}|{_BIRTHDAY}|jährig|åring|årig|vuotias|летн|"
    r"\d (?:ans|años|anos|jahre|jaar|anni|ani|lat|år|vuotta|éves|yaşında|tuổi|лет)\b)|\d[MF]\b|\b[MF], |"
    r"歳|岁|才|세|살|\d[mf]\b|^[MF] |\n[MF] ))"
)
_NAME_LIST = re.compile(rf"{_NAME}(?: {_NAME})? \d{{1,2}}(?:[,;]| and) ")
_LIST_ITEM = re.compile(rf"(?:^|[,;] | and )({_NAME})")


def listed_ages_are_of_names(match: str) -> bool:
    """A list of names and numbers ("Jan Novák 45, Eva Nováková 43") is one of ages only where one of its items
    starts with a listed given name or surname ("Apollo 11, Gemini 4" is not); every other form of AGE passes."""
    if _NAME_LIST.match(match) is None:
        return True
    first, given, family = first_names(), given_names(), surnames()
    return any(word.upper() in first or word.upper() in given or word in family for word in _LIST_ITEM.findall(match))
